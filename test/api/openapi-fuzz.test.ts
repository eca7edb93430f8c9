import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture, validBodies } from './api-fixture.ts'
import { tableSnapshot } from './table-snapshot.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>
type Seed = Awaited<ReturnType<Fixture['seedTenantA']>>

interface Operation {
  method: string
  path: string
  operationId: string
  public: boolean
  admin: boolean
  body: boolean
  query: string[]
}

/**
 * Generated requests per operation: ~40 operations × 30 took 19 s on a loaded 2-core machine, inside
 * npm test's 60 s budget. FERRY_FUZZ_RUNS raises it for a longer hunt.
 */
const RUNS = Number(process.env.FERRY_FUZZ_RUNS ?? 30)

/** A placeholder in a generated body, replaced by raw JSON text after JSON.stringify. */
const TOKEN = '\u{F0000}poison\u{F0000}'

/**
 * JSON text no API body may hold: each is refused with 422 before any schema runs, whatever the
 * operation. Raw text, since JSON.stringify can neither write 1e400 nor nest 20,000 levels.
 */
const poison = fc.oneof(
  fc.constantFrom(
    '"a\\u0000b"',
    '"\\ud800"',
    '"x\\udc00"',
    '1e400',
    '-1e999',
    '{"k\\u0000":1}',
    '{"\\udbff":1}',
  ),
  fc.integer({ min: 65, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc.integer({ min: 65, max: 2_000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
)

/** Text for parameters: anything (NUL, %, slashes, dots, emoji, very long), numbers, dates that do not exist. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 3000 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '2147483648',
    '1e400',
    'NaN',
    '..',
    '../../etc/passwd',
    '%00',
    '%FF',
    '%ED%A0%80',
  ),
  fc.constantFrom('1', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z', 'null', '[]'),
  fc.uuid(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
)

/** A path segment for any text, lone surrogates included (which encodeURIComponent refuses). */
const segment = (text: string) => {
  // "." and ".." are dot segments: URL parsing resolves them to another route before any handler.
  if (text === '.' || text === '..') return `${text}x`
  try {
    return encodeURIComponent(text)
  } catch {
    return Buffer.from(text, 'utf8').toString('hex').replace(/(..)/g, '%$1')
  }
}

/** Puts TOKEN somewhere in `base`: replacing a member, adding one, appending, or as the whole body. */
function inject(base: unknown, pick: number, member: string): unknown {
  const containers: unknown[] = []
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      containers.push(v)
      for (const child of Object.values(v)) walk(child)
    }
  }
  const copy = structuredClone(base)
  walk(copy)
  if (containers.length === 0) return TOKEN
  const target = containers[pick % containers.length] as Record<string, unknown> | unknown[]
  if (Array.isArray(target)) target.push(TOKEN)
  else {
    const keys = Object.keys(target)
    target[keys.length > 0 && pick % 2 === 0 ? keys[pick % keys.length]! : member] = TOKEN
  }
  return copy
}

// Issue 13: walk every operation of /openapi.json with generated bad bodies, queries and path
// values. Every request carries at least one part that must be refused, so each must answer 4xx
// problem+json — never 5xx — and change nothing.
describe('OpenAPI fuzz: every operation refuses generated bad input with a 4xx and changes nothing', () => {
  let f: Fixture
  let seed: Seed
  let group: Awaited<ReturnType<Fixture['seedExceptionGroup']>>
  let operations: Operation[]
  let keyId: string

  beforeAll(async () => {
    f = await createApiFixture('openapi-fuzz')
    seed = await f.seedTenantA()
    group = await f.seedExceptionGroup(seed)
    keyId = (
      await f.db
        .selectFrom('apiKeys')
        .select('id')
        .where('tenantId', '=', f.tenantA.id)
        .executeTakeFirstOrThrow()
    ).id
    const doc = (await f.call(undefined, 'GET', '/openapi.json')).json
    operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        public: op.security?.length === 0,
        admin: path.startsWith('/v1/tenants') || path.startsWith('/v1/api-keys'),
        body: op.requestBody !== undefined,
        query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
      })),
    )
  })
  afterAll(() => f.t.drop())

  const validPath: Record<string, () => string> = {
    tenantId: () => f.tenantA.id,
    keyId: () => keyId,
    connectionId: () => seed.src.id,
    flowId: () => seed.flowId,
    runId: () => seed.runId,
    recordId: () => seed.recordIds[0]!,
    subscriptionId: () => seed.subscriptionId,
    version: () => '1',
    recipe: () => 'memory-params',
    table: () => seed.mappingTable,
    key: () => 'A-KEY',
    reconciliationId: () => seed.reconciliationId,
    scheduleId: () => seed.scheduleId,
    cause: () => group.cause,
    bulkRetryId: () => group.bulkRetryId,
  }
  /** Parameters whose random value can never name something that exists. */
  const namesNothing = (name: string, value: string) =>
    name !== 'key' && name !== 'version' && value !== validPath[name]?.()

  /** One request with at least one part that must be refused. */
  const badRequest = (op: Operation) => {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
    return fc
      .record({
        path: fc.tuple(...params.map(() => fc.option(anyText, { freq: 2 }))),
        query: fc.option(
          fc.dictionary(fc.oneof(fc.constantFrom(...op.query, 'x'), fc.string({ maxLength: 8 })), anyText, {
            maxKeys: 4,
          }),
        ),
        queryPoison: fc.boolean(),
        body: fc.oneof(
          fc.constant({ kind: 'valid' as const }),
          fc.record({
            kind: fc.constant('poisoned' as const),
            base: fc.oneof(
              fc.constant(validBodies(seed)[op.operationId] ?? {}),
              fc.jsonValue({ maxDepth: 3 }),
            ),
            poison,
            pick: fc.nat(),
            member: fc.string({ maxLength: 12 }),
          }),
          fc.record({ kind: fc.constant('malformed' as const), text: fc.string({ maxLength: 200 }) }),
          fc.constant({ kind: 'not-json' as const }),
        ),
      })
      .filter((r) => {
        const badPath = params.some((name, i) => r.path[i] !== null && namesNothing(name, r.path[i]!))
        const badQuery = r.queryPoison
        const badBody =
          op.body &&
          (r.body.kind === 'poisoned' ||
            r.body.kind === 'not-json' ||
            (r.body.kind === 'malformed' && !parses(r.body.text)))
        return badPath || badQuery || Boolean(badBody)
      })
      .map((r) => {
        let i = 0
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const value = r.path[i++]
          if (value !== null && value !== undefined) return segment(value)
          // A parameter this table does not know yet (a new route): an id that names nothing.
          return validPath[name]?.() ?? '00000000-0000-4000-8000-000000000000'
        })
        const query = new URLSearchParams(r.query ?? {})
        if (r.queryPoison) query.append(op.query[0] ?? 'x', 'a\u0000b')
        const search = query.toString()
        let body: string | undefined
        let type = 'application/json'
        if (op.body) {
          if (r.body.kind === 'valid') body = JSON.stringify(validBodies(seed)[op.operationId] ?? {})
          if (r.body.kind === 'poisoned')
            body = JSON.stringify(inject(r.body.base, r.body.pick, r.body.member)).replace(
              JSON.stringify(TOKEN),
              r.body.poison,
            )
          if (r.body.kind === 'malformed') body = r.body.text
          if (r.body.kind === 'not-json') {
            body = 'name=x'
            type = 'application/x-www-form-urlencoded'
          }
        }
        return { url: `${path}${search ? `?${search}` : ''}`, body, type }
      })
  }

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(35)
  })

  it('answers every generated bad request with 4xx problem+json and leaves every table as it was', {
    timeout: 120_000,
  }, async () => {
    let sent = 0
    for (const op of operations) {
      if (op.public) continue // /health, /openapi.json: read-only and take no input
      const key = op.admin ? f.admin.key : f.keyA
      const before = await tableSnapshot(f.db)
      const calls = f.flow.calls.length
      await fc.assert(
        fc.asyncProperty(badRequest(op), async (req) => {
          sent++
          const res = await f.app.request(req.url, {
            method: op.method,
            headers: {
              authorization: `Bearer ${key}`,
              ...(req.body === undefined ? {} : { 'content-type': req.type }),
            },
            body: req.body,
          })
          const text = await res.text()
          const label = `${op.method} ${req.url.slice(0, 300)} ${String(req.body).slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`
          expect(res.status, label).toBeGreaterThanOrEqual(400)
          expect(res.status, label).toBeLessThan(500)
          expect(res.headers.get('content-type'), label).toBe('application/problem+json')
        }),
        { numRuns: RUNS },
      )
      expect(await tableSnapshot(f.db), `${op.method} ${op.path} changed a table`).toEqual(before)
      expect(f.flow.calls.length, `${op.method} ${op.path} reached flow control`).toBe(calls)
    }
    expect(sent).toBeGreaterThan(30 * RUNS)
  })
})

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
