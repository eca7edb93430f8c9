import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture } from './api-fixture.ts'
import { tableSnapshot } from './table-snapshot.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>

describe('bad input: a precise problem+json and no change', () => {
  let f: Fixture
  let seed: Awaited<ReturnType<Fixture['seedTenantA']>>
  beforeAll(async () => {
    f = await createApiFixture('api-bad-input')
    seed = await f.seedTenantA()
  })
  afterAll(() => f.t.drop())

  const cases: {
    name: string
    send: () => Promise<Awaited<ReturnType<Fixture['call']>>>
    status: number
    expect?: (json: any) => void
  }[] = [
    {
      name: 'malformed JSON names the position',
      send: () => f.call(f.keyA, 'POST', '/v1/connections', '{"name": "x",\n "connector": }'),
      status: 400,
      expect: (j) => expect(j.detail).toMatch(/at line 2, column 15 \(offset 28\)/),
    },
    {
      name: 'wrong types point at the member',
      send: () => f.call(f.keyA, 'POST', '/v1/connections', { name: 5, connector: 'memory', config: {} }),
      status: 422,
      expect: (j) => expect(j.errors).toContainEqual({ pointer: '/name', detail: 'must be string' }),
    },
    {
      name: 'a config the connector rejects points into config',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/connections', {
          name: 'c',
          connector: 'memory',
          config: { systemId: 1 },
        }),
      status: 422,
      expect: (j) =>
        expect(j.errors.map((e: any) => e.pointer).sort()).toEqual(['/config/systemId', '/config/token']),
    },
    {
      name: 'an unknown connector suggests the known ones',
      send: () => f.call(f.keyA, 'POST', '/v1/connections', { name: 'c', connector: 'memori', config: {} }),
      status: 422,
      expect: (j) =>
        expect(j.errors[0]).toMatchObject({
          pointer: '/connector',
          detail: expect.stringContaining('did you mean "memory"'),
        }),
    },
    {
      name: 'an oversized body',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/manifests/validate', { file: 'a', text: 'x'.repeat(1_100_000) }),
      status: 413,
    },
    {
      name: 'a body that is not JSON',
      send: () => f.call(f.admin.key, 'POST', '/v1/tenants', 'name=x', { 'content-type': 'text/plain' }),
      status: 415,
    },
    {
      name: 'an unknown id names the resource',
      send: () => f.call(f.keyA, 'GET', '/v1/flows/00000000-0000-4000-8000-000000000000'),
      status: 404,
      expect: (j) => expect(j.detail).toBe('flow 00000000-0000-4000-8000-000000000000 not found'),
    },
    {
      name: 'an id that is not even a UUID',
      send: () => f.call(f.keyA, 'POST', '/v1/subscriptions/abc/renew'),
      status: 404,
      expect: (j) => expect(j.detail).toBe('subscription abc not found'),
    },
    {
      name: 'replay with one unknown id replays nothing',
      send: () =>
        f.call(f.keyA, 'POST', '/v1/records/replay', {
          ids: [seed.recordIds[0], '00000000-0000-4000-8000-000000000000'],
          version: 'latest',
        }),
      status: 404,
      expect: (j) =>
        expect(j.errors).toEqual([
          { pointer: '/ids/1', detail: 'record 00000000-0000-4000-8000-000000000000 not found' },
        ]),
    },
    {
      name: 'a manifest with errors is refused with its diagnostics',
      send: () => f.call(f.keyA, 'POST', '/v1/flows', { text: 'version: 1\nname: x\n', bindings: {} }),
      status: 422,
      expect: (j) => {
        expect(j.errors[0].pointer).toBe('/text')
        expect(j.diagnostics[0]).toMatchObject({ line: expect.any(Number), col: expect.any(Number) })
      },
    },
    {
      name: 'a bad query parameter is named',
      send: () => f.call(f.keyA, 'GET', '/v1/records?limit=many'),
      status: 422,
      expect: (j) => expect(j.errors).toEqual([{ parameter: 'limit', detail: 'must be integer' }]),
    },
    {
      name: 'an empty backfill window',
      send: () =>
        f.call(f.keyA, 'POST', `/v1/flows/${seed.flowId}/backfill`, {
          from: '2026-02-01T00:00:00Z',
          to: '2026-01-01T00:00:00Z',
        }),
      status: 422,
    },
    { name: 'a missing key', send: () => f.call(undefined, 'GET', '/v1/flows'), status: 401 },
    { name: 'an unknown key', send: () => f.call('fry_ten_nope', 'GET', '/v1/flows'), status: 401 },
    { name: 'an unknown route', send: () => f.call(f.keyA, 'GET', '/v1/nothing'), status: 404 },
    { name: 'a wrong method', send: () => f.call(f.keyA, 'DELETE', '/v1/flows'), status: 405 },
  ]

  const problemSchema = new Ajv2020({ strict: false }).compile({
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'instance'],
  })

  for (const c of cases)
    it(c.name, async () => {
      const before = await tableSnapshot(f.db)
      const calls = f.flow.calls.length
      const res = await c.send()
      expect(res.status, res.text).toBe(c.status)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(problemSchema(res.json)).toBe(true)
      expect(res.json.status).toBe(c.status)
      c.expect?.(res.json)
      if (c.status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await tableSnapshot(f.db)).toEqual(before)
      expect(f.flow.calls.length).toBe(calls)
    })
})
