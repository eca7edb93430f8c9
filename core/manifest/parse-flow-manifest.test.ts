import { describe, expect, it } from 'vitest'
import { formatDiagnostic } from './diagnostic.ts'
import { MANIFEST_SIZE_LIMIT } from './manifest-source.ts'
import { parseFlowManifest } from './parse-flow-manifest.ts'
import { sampleCatalog } from './sample-catalog.ts'

const good = `version: 1
name: orders-to-invoices
connections: { src: src, dst: dst }
source: { connection: src, stream: orders }
map: '{ "number": id }'
target: { connection: dst, stream: invoices, operation: create }
`

/** `good` with one line replaced (by its start) or appended. */
function variant(replace: Record<string, string>, append = ''): string {
  const lines = good.split('\n').map((line) => {
    const key = Object.keys(replace).find((k) => line.startsWith(k))
    return key === undefined ? line : replace[key]!
  })
  return lines.join('\n') + append
}

function diagnose(text: string, file = 'flow.yaml'): string[] {
  return parseFlowManifest({ file, text, catalog: sampleCatalog }).diagnostics.map(formatDiagnostic)
}

describe('parseFlowManifest', () => {
  it('resolves a good manifest with defaults', () => {
    const { manifest, diagnostics } = parseFlowManifest({
      file: 'flow.yaml',
      text: good,
      catalog: sampleCatalog,
    })
    expect(diagnostics).toEqual([])
    expect(manifest?.retry).toEqual({ limit: 8, backoff: 'exponential', delay: '5s', maxDelay: '15m' })
    expect(manifest?.identity).toEqual({ key: 'id' })
    expect(manifest?.map).toMatchObject({ source: '{ "number": id }', inline: true, file: 'flow.yaml' })
  })

  it.each([
    [
      'empty file',
      '',
      [
        'flow.yaml:1:1  a flow manifest must be a mapping with version, name, connections, source, map and target  (/)',
      ],
    ],
    [
      'version as a string',
      variant({ version: 'version: "1"' }),
      ['flow.yaml:1:10  version must be a number (got "1")  (/version)'],
    ],
    [
      'name too long',
      variant({ name: `name: ${'a'.repeat(65)}` }),
      ['flow.yaml:2:7  name must be at most 64 characters (got 65)  (/name)'],
    ],
    [
      'source as a string',
      variant({ source: 'source: src/orders' }),
      ['flow.yaml:4:9  source must be an object (got "src/orders")  (/source)'],
    ],
    [
      'empty trigger',
      variant({}, 'trigger: {}\n'),
      ['flow.yaml:7:1  trigger must set at least one of schedule, every, webhook  (/trigger)'],
    ],
    [
      'schedule of the wrong type',
      variant({}, 'trigger: { schedule: 15 }\n'),
      ['flow.yaml:7:22  trigger.schedule must be a string or an object (got 15)  (/trigger/schedule)'],
    ],
    [
      'unknown key inside the long schedule form',
      variant({}, 'trigger: { schedule: { cron: "0 6 * * *", tz: UTC } }\n'),
      [
        'flow.yaml:7:43  unknown field "tz" in trigger.schedule; expected one of cron, timezone  (/trigger/schedule/tz)',
      ],
    ],
    [
      'lookup whose refresh says it reads a stream',
      variant({}, 'lookups: { rates: { refresh: 1h } }\n'),
      [
        'flow.yaml:7:12  lookups.rates is missing required fields "connection", "stream", "key", "value"  (/lookups/rates/connection)',
      ],
    ],
    [
      'duplicate action in then',
      variant({
        target: 'target: { connection: dst, stream: invoices, operation: create, then: [post, post] }',
      }),
      ['flow.yaml:6:78  target.then lists "post" twice  (/target/then/1)'],
    ],
    [
      'retry limit out of range',
      variant({}, 'retry: { limit: 1000 }\n'),
      ['flow.yaml:7:17  retry.limit must be at most 100 (got 1000)  (/retry/limit)'],
    ],
    [
      'connection alias with a space',
      variant({ connections: 'connections: { src: src, dst: dst, "my erp": dst }' }),
      [
        'flow.yaml:3:36  connections key "my erp" must be a letter followed by letters, digits, "_" or "-"  (/connections/my erp)',
        'flow.yaml:3:36  warning: connection "my erp" is declared but no source, target or lookup uses it  (/connections/my erp)',
      ],
    ],
    [
      'update without match',
      variant({
        target: 'target: { connection: dst, stream: invoices, operation: update, match: { number: number } }',
      }),
      [],
    ],
    [
      'expectError with an unknown key',
      variant({}, 'tests:\n  - { name: t, input: {}, expectError: { kode: x } }\n'),
      [
        'flow.yaml:8:42  unknown field "kode" in tests[0].expectError; expected one of code, message (did you mean "code"?)  (/tests/0/expectError/kode)',
      ],
    ],
    [
      'acknowledge.map not valid JSONata',
      variant({}, 'acknowledge: { operation: confirm, map: "{ \'ok\': $result.ok" }\n'),
      [
        'flow.yaml:7:60  acknowledge.map is not valid JSONata: expected "}" before end of expression (S0203)  (/acknowledge/map)',
      ],
    ],
    [
      'lookup key not valid JSONata',
      variant({}, 'lookups: { inv: { connection: dst, stream: invoices, key: "a.", value: b } }\n'),
      [
        'flow.yaml:7:44  dst/invoices cannot be read; readable streams: none  (/lookups/inv/stream)',
        'flow.yaml:7:62  lookups.inv.key is not valid JSONata: unexpected end of expression (S0207)  (/lookups/inv/key)',
      ],
    ],
  ])('%s', (_, text, expected) => {
    expect(diagnose(text)).toEqual(expected)
  })

  it('refuses more than 100 YAML aliases with a diagnostic at the alias past the limit, not a crash', () => {
    const aliases = Array.from({ length: 101 }, () => '*x').join(', ')
    const text = `${good}description: &x d\ntags: [${aliases}]\n`
    const { manifest, diagnostics } = parseFlowManifest({ file: 'flow.yaml', text, catalog: sampleCatalog })
    expect(manifest).toBeUndefined()
    const col = 'tags: ['.length + 99 * '*x, '.length + 1
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `flow.yaml:8:${col}  YAML aliases (*name) expand to more than 100 copies; write the values out or use fewer aliases  (/tags/99)`,
    ])
    // 99 aliases and the anchored value are 100 copies: fine (the schema then objects to the unknown field).
    const fine = `${good}description: &x d\ntags: [${aliases.slice(8)}]\n`
    expect(diagnose(fine).join('\n')).not.toContain('aliases')
  })

  it('reads JSON manifests and holds them to strict JSON', () => {
    const json = JSON.stringify({ ...JSON.parse(JSON.stringify(parseYamlLike())), name: 'Bad Name' }, null, 2)
    expect(diagnose(json, 'flow.json')).toEqual([
      'flow.json:3:11  name must be kebab-case: lowercase letters, digits and single dashes (got "Bad Name")  (/name)',
    ])
    expect(diagnose('{ "version": 1, }', 'flow.json')).toEqual([
      'flow.json:1:17  JSON syntax error: expected double-quoted property name  (/)',
    ])
  })

  it('reports a missing map file, or one it cannot read without a resolver', () => {
    const text = variant({ map: 'map: ./orders.jsonata' })
    expect(diagnose(text)).toEqual([
      'flow.yaml:5:6  map file "./orders.jsonata" not found (paths are relative to the manifest\'s folder)  (/map)',
    ])
    const resolveFile = (path: string) =>
      path === './orders.jsonata' ? { file: 'orders.jsonata', text: '{\n  "n": id,,\n}' } : undefined
    const result = parseFlowManifest({ file: 'flow.yaml', text, catalog: sampleCatalog, resolveFile })
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'orders.jsonata:2:11  map is not valid JSONata: the symbol "," cannot be used as a unary operator (S0211)  (/map)',
    ])
  })
})

function parseYamlLike() {
  return {
    version: 1,
    name: 'orders-to-invoices',
    connections: { src: 'src', dst: 'dst' },
    source: { connection: 'src', stream: 'orders' },
    map: '{ "number": id }',
    target: { connection: 'dst', stream: 'invoices', operation: 'create' },
  }
}

describe('a manifest over the size limit', () => {
  it('gets one too-large diagnostic at 1:1 and is not parsed', () => {
    const text = `version: 1\nname: big\n# ${'x'.repeat(MANIFEST_SIZE_LIMIT)}\n`
    const result = parseFlowManifest({ file: 'big.flow.yaml', text, catalog: sampleCatalog })
    expect(result.manifest).toBeUndefined()
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      `big.flow.yaml:1:1  the manifest is ${text.length} characters long, over the limit of ${MANIFEST_SIZE_LIMIT}; split it (a recipe can hold many flows) or move large tables to a mapping table  (/)`,
    ])
  })
})
