import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture, flowText } from './api-fixture.ts'
import { tableSnapshot } from './table-snapshot.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>
type Seed = Awaited<ReturnType<Fixture['seedTenantA']>>

const NUL = '\u0000'
const LONE = '\ud800'
const cursor = (at: string) =>
  Buffer.from(JSON.stringify([at, '00000000-0000-4000-8000-000000000000'])).toString('base64url')
/** `{"a":{"a":…}}` nested `depth` levels, as text (JSON.stringify itself would overflow the stack). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

// Finding 4 of issue 13: input that passed validation and then failed in PostgreSQL or overflowed the
// stack answered 500. Each case now gets 422 problem+json naming the place, and nothing is written.
describe('input hygiene: NUL, lone surrogates, out-of-range numbers, impossible dates, deep JSON → 422', () => {
  let f: Fixture
  let seed: Seed
  beforeAll(async () => {
    f = await createApiFixture('input-hygiene')
    seed = await f.seedTenantA()
  })
  afterAll(() => f.t.drop())

  const manifestWith = (value: string) => ({
    text: flowText('invoices').replace(
      '"invoices","connections"',
      `"invoices","description":${value},"connections"`,
    ),
    bindings: { src: seed.src.id, dst: seed.dst.id },
  })
  const yamlManifest = (description: string) => ({
    text: [
      'version: 1',
      'name: invoices',
      `description: ${description}`,
      'connections: { src: memory, dst: memory }',
      'source: { connection: src, stream: invoices }',
      'map: "{ \'ref\': id }"',
      'target: { connection: dst, stream: documents, operation: create, match: { ref: ref } }',
    ].join('\n'),
    bindings: { src: seed.src.id, dst: seed.dst.id },
  })

  const cases: {
    name: string
    send: () => Promise<Awaited<ReturnType<Fixture['call']>>>
    at: { pointer: string } | { parameter: string }
    detail?: RegExp
  }[] = [
    {
      name: 'NUL in a query string',
      send: () => f.call(f.keyA, 'GET', '/v1/records?key=%00'),
      at: { parameter: 'key' },
      detail: /NUL/,
    },
    {
      name: 'NUL in an API key name',
      send: () => f.call(f.admin.key, 'POST', `/v1/tenants/${f.tenantA.id}/api-keys`, { name: `a${NUL}b` }),
      at: { pointer: '/name' },
      detail: /NUL/,
    },
    {
      name: 'NUL in replay filter.key',
      send: () => f.call(f.keyA, 'POST', '/v1/records/replay', { filter: { key: NUL }, version: 'latest' }),
      at: { pointer: '/filter/key' },
      detail: /NUL/,
    },
    {
      name: 'NUL in a mapping-row key (path)',
      send: () => f.call(f.keyA, 'PUT', `/v1/mapping-tables/${seed.mappingTable}/rows/A%00`, { value: 'x' }),
      at: { parameter: 'key' },
      detail: /NUL/,
    },
    {
      name: 'NUL in a mapping-row value',
      send: () =>
        f.call(f.keyA, 'PUT', `/v1/mapping-tables/${seed.mappingTable}/rows/A-KEY`, { value: `x${NUL}` }),
      at: { pointer: '/value' },
      detail: /NUL/,
    },
    {
      name: 'a lone surrogate in a mapping-row value',
      send: () =>
        f.call(f.keyA, 'PUT', `/v1/mapping-tables/${seed.mappingTable}/rows/A-KEY`, { value: `x${LONE}` }),
      at: { pointer: '/value' },
      detail: /surrogate/,
    },
    {
      name: 'a number JSON reads as Infinity',
      send: () =>
        f.call(f.keyA, 'PUT', `/v1/mapping-tables/${seed.mappingTable}/rows/A-KEY`, '{"value": 1e400}'),
      at: { pointer: '/value' },
      detail: /finite/,
    },
    {
      name: 'NUL in a flow file name',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/flows', {
          file: `a${NUL}.yaml`,
          text: flowText('invoices'),
          bindings: { src: seed.src.id, dst: seed.dst.id },
        }),
      at: { pointer: '/file' },
      detail: /NUL/,
    },
    {
      name: 'NUL in connection config',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/connections', {
          name: 'nul',
          connector: 'memory',
          config: { systemId: `a${NUL}`, token: 't' },
        }),
      at: { pointer: '/config/systemId' },
      detail: /NUL/,
    },
    {
      name: 'a lone surrogate in a connection config key',
      send: () => f.call(f.keyA, 'PUT', `/v1/connections/${seed.src.id}`, { config: { [`k${LONE}`]: 'v' } }),
      at: { pointer: `/config/k${LONE}` },
      detail: /surrogate/,
    },
    {
      name: 'a connection config nested 5,000 levels',
      send: () =>
        f.call(f.keyA, 'PUT', `/v1/connections/${seed.src.id}`, `{"config": {"systemId": ${nested(5000)}}}`),
      at: { pointer: `/config/systemId${'/a'.repeat(62)}` },
      detail: /nested deeper than 64/,
    },
    {
      name: 'a body nested 300,000 levels',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/manifests/validate', `${'['.repeat(300_000)}${']'.repeat(300_000)}`),
      at: { pointer: `${'/0'.repeat(64)}` },
      detail: /nested deeper than 64/,
    },
    {
      name: 'a version number beyond PostgreSQL integers',
      send: () => f.call(f.keyA, 'GET', `/v1/flows/${seed.flowId}/versions/2147483648`),
      at: { parameter: 'version' },
      detail: /<= 2147483647/,
    },
    {
      name: 'a version that is not a number',
      send: () => f.call(f.keyA, 'GET', `/v1/flows/${seed.flowId}/versions/abc`),
      at: { parameter: 'version' },
      detail: /integer/,
    },
    {
      name: 'a records cursor whose date is "1"',
      send: () => f.call(f.keyA, 'GET', `/v1/records?cursor=${cursor('1')}`),
      at: { parameter: 'cursor' },
    },
    {
      name: 'a records cursor on 30 February',
      send: () => f.call(f.keyA, 'GET', `/v1/records?cursor=${cursor('2026-02-30T00:00:00.000Z')}`),
      at: { parameter: 'cursor' },
    },
    {
      name: 'a from date on 30 February',
      send: () => f.call(f.keyA, 'GET', '/v1/records?from=2026-02-30T00:00:00Z'),
      at: { parameter: 'from' },
      detail: /date-time/,
    },
    {
      name: 'a backfill window in year 0',
      send: () =>
        f.call(f.keyA, 'POST', `/v1/flows/${seed.flowId}/backfill`, {
          from: '0000-01-01T00:00:00Z',
          to: '2026-01-01T00:00:00Z',
        }),
      at: { pointer: '/from' },
      detail: /date-time/,
    },
    {
      name: 'a replay filter hour 24',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/records/replay', {
          filter: { to: '2026-01-01T24:00:00Z' },
          version: 'latest',
        }),
      at: { pointer: '/filter/to' },
      detail: /date-time/,
    },
    {
      name: 'a JSON manifest whose string escapes a NUL',
      send: () => f.call(f.keyA, 'POST', '/v1/flows', manifestWith('"a\\u0000b"')),
      at: { pointer: '/text' },
      detail: /\/description.*NUL/,
    },
    {
      name: 'a YAML manifest whose string escapes a lone surrogate',
      send: () => f.call(f.keyA, 'POST', '/v1/flows', yamlManifest('"a\\ud800b"')),
      at: { pointer: '/text' },
      detail: /\/description.*surrogate/,
    },
    {
      name: 'NUL in a recipe name (path)',
      send: () => f.call(f.keyA, 'POST', '/v1/recipes/a%00/enable', { bindings: {} }),
      at: { parameter: 'recipe' },
      detail: /NUL/,
    },
    {
      name: 'NUL in a mapping table name (path)',
      send: () => f.call(f.keyA, 'GET', '/v1/mapping-tables/a%00/rows'),
      at: { parameter: 'table' },
      detail: /NUL/,
    },
  ]

  for (const c of cases)
    it(c.name, async () => {
      const before = await tableSnapshot(f.db)
      const calls = f.flow.calls.length
      const res = await c.send()
      expect(res.status, res.text.slice(0, 500)).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      const item = (res.json.errors as Record<string, string>[]).find((e) =>
        'pointer' in c.at ? e.pointer === c.at.pointer : e.parameter === c.at.parameter,
      )
      expect(item, JSON.stringify(res.json.errors).slice(0, 500)).toBeDefined()
      if (c.detail) expect(item!.detail).toMatch(c.detail)
      expect(await tableSnapshot(f.db)).toEqual(before)
      expect(f.flow.calls.length).toBe(calls)
    })

  it('valid text with tabs, newlines, emoji and Vietnamese still goes through', async () => {
    const res = await f.call(f.keyA, 'PUT', `/v1/mapping-tables/${seed.mappingTable}/rows/A-KEY`, {
      value: 'Công ty 🚢\tline\nnext',
    })
    expect(res.status, res.text).toBe(200)
    expect(res.json.confirmedValue).toBe('Công ty 🚢\tline\nnext')
  })
})
