import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiFixture } from './api-fixture.ts'
import { tableSnapshot } from './table-snapshot.ts'

type Fixture = Awaited<ReturnType<typeof createApiFixture>>

const recipesDir = path.join(import.meta.dirname, 'fixtures/recipes')
const defaults = { companyCode: 'CO01', localCurrency: 'VND', roundTo: 0, vatRate: 0.1, postDrafts: false }

// Finding 1 of issue 13: the installer wrote one tenant's parameters into the process-wide recipe
// cache, so every later enable of that recipe, by any tenant, mapped with them.
describe('recipe parameters: each tenant installs its own copy, checked against the declared parameters', () => {
  let f: Fixture
  const tenants: { name: string; key: string; bindings: Record<string, string> }[] = []

  const enable = (key: string, bindings: Record<string, string>, parameters?: unknown) =>
    f.call(key, 'POST', '/v1/recipes/memory-params/enable', {
      bindings,
      ...(parameters === undefined ? {} : { parameters }),
    })

  /** The `params` values of every flow version a tenant's key can see. */
  async function storedParams(key: string) {
    const flows = (await f.call(key, 'GET', '/v1/flows')).json.items as { id: string }[]
    const out = []
    for (const flow of flows) {
      const got = (await f.call(key, 'GET', `/v1/flows/${flow.id}`)).json
      out.push(got.manifest.lookups.params.values)
    }
    return out
  }

  beforeAll(async () => {
    f = await createApiFixture('recipe-isolation', { recipesDir })
    for (const name of ['tenant-x', 'tenant-y', 'tenant-z']) {
      const tenant = (await f.call(f.admin.key, 'POST', '/v1/tenants', { name })).json
      const key = (await f.call(f.admin.key, 'POST', `/v1/tenants/${tenant.id}/api-keys`, {})).json.key
      const bindings: Record<string, string> = {}
      for (const role of ['src', 'dst'])
        bindings[role] = (
          await f.call(key, 'POST', '/v1/connections', {
            name: role,
            connector: 'memory',
            config: { systemId: `${name}-${role}`, token: 'memory-secret' },
          })
        ).json.id
      tenants.push({ name, key, bindings })
    }
  })
  afterAll(() => f.t.drop())

  it('three tenants enable the same recipe; each flow maps with its own values and no value crosses', async () => {
    const [x, y, z] = tenants as [(typeof tenants)[0], (typeof tenants)[0], (typeof tenants)[0]]
    // The attack of the finding: a value for a name the recipe does not declare (the flow's own
    // `sourceSystem`), which the shared cache then handed to every later install.
    const before = await tableSnapshot(f.db)
    const leak = await enable(x.key, x.bindings, { companyCode: 'EVIL', sourceSystem: 'X-was-here' })
    expect(leak.status, leak.text).toBe(422)
    expect(leak.headers.get('content-type')).toBe('application/problem+json')
    expect(leak.json.errors).toEqual([
      {
        pointer: '/parameters/sourceSystem',
        detail: expect.stringContaining('unknown parameter "sourceSystem"'),
      },
    ])
    expect(await tableSnapshot(f.db)).toEqual(before)

    const first = await enable(x.key, x.bindings, {
      companyCode: 'X-CO',
      localCurrency: 'USD',
      roundTo: 2,
      costCentre: 'X-CC',
    })
    expect(first.status, first.text).toBe(201)
    const second = await enable(y.key, y.bindings, { companyCode: 'Y-CO', postDrafts: true, vatRate: 0.08 })
    expect(second.status, second.text).toBe(201)
    const third = await enable(z.key, z.bindings)
    expect(third.status, third.text).toBe(201)

    // The flow's own values stay; declared parameters are the defaults overridden by the tenant's.
    expect(await storedParams(x.key)).toEqual([
      {
        ...defaults,
        sourceSystem: 'memory',
        companyCode: 'X-CO',
        localCurrency: 'USD',
        roundTo: 2,
        costCentre: 'X-CC',
      },
    ])
    expect(await storedParams(y.key)).toEqual([
      { ...defaults, sourceSystem: 'memory', companyCode: 'Y-CO', postDrafts: true, vatRate: 0.08 },
    ])
    expect(await storedParams(z.key)).toEqual([{ ...defaults, sourceSystem: 'memory' }])
    // The recipe as listed is unchanged by the installs.
    const listed = (await f.call(z.key, 'GET', '/v1/recipes')).json.items[0]
    expect(listed.parameters.companyCode.default).toBe('CO01')
  })

  const refused: { name: string; parameters: unknown; pointer: string; detail: RegExp }[] = [
    {
      name: 'a number for a string',
      parameters: { companyCode: 5 },
      pointer: '/parameters/companyCode',
      detail: /string/,
    },
    {
      name: 'a fraction for an integer',
      parameters: { roundTo: 1.5 },
      pointer: '/parameters/roundTo',
      detail: /integer/,
    },
    {
      name: 'a string for a boolean',
      parameters: { postDrafts: 'yes' },
      pointer: '/parameters/postDrafts',
      detail: /boolean/,
    },
    {
      name: 'an object for a number',
      parameters: { vatRate: { a: 1 } },
      pointer: '/parameters/vatRate',
      detail: /number/,
    },
    {
      name: 'a NUL byte',
      parameters: { companyCode: 'A\u0000B' },
      pointer: '/parameters/companyCode',
      detail: /NUL/,
    },
    {
      name: 'a lone surrogate',
      parameters: { localCurrency: 'US\ud800' },
      pointer: '/parameters/localCurrency',
      detail: /surrogate/,
    },
    {
      name: 'an integer beyond the safe range',
      parameters: { roundTo: 2 ** 60 },
      pointer: '/parameters/roundTo',
      detail: /at most/,
    },
    {
      name: 'parameters that are not an object',
      parameters: ['companyCode'],
      pointer: '/parameters',
      detail: /object/,
    },
  ]
  for (const c of refused)
    it(`refuses ${c.name} with 422 at ${c.pointer}, and changes nothing`, async () => {
      const x = tenants[0]!
      const before = await tableSnapshot(f.db)
      const res = await enable(x.key, x.bindings, c.parameters)
      expect(res.status, res.text).toBe(422)
      expect(res.json.errors).toContainEqual({ pointer: c.pointer, detail: expect.stringMatching(c.detail) })
      expect(await tableSnapshot(f.db)).toEqual(before)
    })

  it('after a refused NUL parameter, every tenant can still enable the recipe', async () => {
    const x = tenants[0]!
    expect((await enable(x.key, x.bindings, { companyCode: 'N\u0000UL' })).status).toBe(422)
    for (const t of tenants) {
      const res = await enable(t.key, t.bindings, { companyCode: `${t.name}-again` })
      expect(res.status, res.text).toBe(201)
    }
    for (const t of tenants)
      expect((await storedParams(t.key))[0]).toMatchObject({ companyCode: `${t.name}-again` })
  })
})
