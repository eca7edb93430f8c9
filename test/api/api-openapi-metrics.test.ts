import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiAjv } from '../../runtime/api/api-schemas.ts'
import { createApiFixture } from './api-fixture.ts'

/** A small Prometheus text parser: families with their TYPE, and samples by name; throws on a bad line. */
function parsePrometheus(text: string) {
  const types = new Map<string, string>()
  const samples: { name: string; labels: Record<string, string>; value: number }[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (type) {
      types.set(type[1]!, type[2]!)
      continue
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+]+|NaN|\+Inf|-Inf)$/.exec(line)
    if (!m) throw new Error(`not Prometheus text: ${line}`)
    const labels = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]),
    )
    const family = m[1]!.replace(/_(bucket|sum|count)$/, '')
    if (!types.has(m[1]!) && !types.has(family)) throw new Error(`sample before its TYPE: ${line}`)
    samples.push({ name: m[1]!, labels, value: Number(m[4]) })
  }
  return { types, samples }
}

describe('/openapi.json and /metrics', () => {
  let f: Awaited<ReturnType<typeof createApiFixture>>
  let doc: any
  beforeAll(async () => {
    f = await createApiFixture('api-openapi')
    await f.seedTenantA()
    doc = (await f.call(undefined, 'GET', '/openapi.json')).json
  })
  afterAll(() => f.t.drop())

  it('is an OpenAPI 3.1 document covering every route of the app', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    const documented = new Set(
      Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    )
    const served = new Set(f.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))
    expect([...served].sort()).toEqual([...documented].sort())
    expect(served.size).toBeGreaterThanOrEqual(30)
  })

  it('every operation has an id, responses and declared path parameters; every $ref resolves', () => {
    const ids = new Set<string>()
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>))
      for (const op of Object.values(ops)) {
        expect(ids.has(op.operationId)).toBe(false)
        ids.add(op.operationId)
        expect(Object.keys(op.responses).length).toBeGreaterThan(0)
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name)
        expect(declared.sort()).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort())
      }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(20)
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((o: any, k) => o?.[k], doc)
      expect(target, ref).toBeTypeOf('object')
    }
  })

  it('every component schema compiles with ajv 2020, and real responses satisfy theirs', async () => {
    const ajv = createApiAjv()
    ajv.addSchema({ $id: 'https://ferry.dev/openapi.json', components: doc.components }, undefined)
    for (const name of Object.keys(doc.components.schemas))
      expect(
        () => ajv.getSchema(`https://ferry.dev/openapi.json#/components/schemas/${name}`),
        name,
      ).not.toThrow()
    const check = (name: string, value: unknown) => {
      const validate = ajv.getSchema(`https://ferry.dev/openapi.json#/components/schemas/${name}`)!
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true)
    }
    check('FlowList', (await f.call(f.keyA, 'GET', '/v1/flows')).json)
    check('RecordList', (await f.call(f.keyA, 'GET', '/v1/records')).json)
    check('ConnectionList', (await f.call(f.keyA, 'GET', '/v1/connections')).json)
    check('Problem', (await f.call(f.keyA, 'GET', '/v1/flows/nope')).json)
  })

  it('/metrics parses as Prometheus text with state labels only (no ids)', async () => {
    expect((await f.call(undefined, 'GET', '/metrics')).status).toBe(401)
    const res = await f.call(f.admin.key, 'GET', '/metrics')
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    const { types, samples } = parsePrometheus(res.text)
    expect(types.get('ferry_delivery_duration_seconds')).toBe('histogram')
    expect(samples.find((s) => s.name === 'ferry_records' && s.labels.state === 'queued')?.value).toBe(2)
    expect(samples.find((s) => s.name === 'ferry_runs_total' && s.labels.state === 'running')?.value).toBe(1)
    expect(samples.some((s) => s.name === 'ferry_retries_total')).toBe(true)
    for (const s of samples)
      for (const v of Object.values(s.labels)) expect(v).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/)
  })
})
