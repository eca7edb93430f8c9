import { describe, expect, it } from 'vitest'
import { compileMapping } from '../compile-mapping.ts'
import type { LookupResolver } from '../mapping-context.ts'

const tables: Record<string, Record<string, string>> = { vendorNo: { '0100047516': 'V0010' } }
const syncLookup: LookupResolver = (table, key) => tables[table]?.[String(key)]
const asyncLookup: LookupResolver = async (table, key) => tables[table]?.[String(key)]

const map = (source: string, lookup?: LookupResolver, timeoutMs?: number) =>
  compileMapping(source, timeoutMs === undefined ? {} : { timeoutMs }).evaluate(
    { mst: '0100047516', other: '0309999999' },
    { lookup, recordKey: 'INV-1' },
  )

describe('$lookupTable', () => {
  it.each([
    ['sync', syncLookup],
    ['async', asyncLookup],
  ])('resolves a key (%s resolver)', async (_, lookup) => {
    expect(await map("$lookupTable('vendorNo', mst)", lookup)).toBe('V0010')
  })

  it.each([
    ['sync', syncLookup],
    ['async', asyncLookup],
  ])('fails on a missing key naming the table and the key (%s resolver)', async (_, lookup) => {
    const failure = map("$lookupTable('vendorNo', other)", lookup)
    await expect(failure).rejects.toMatchObject({
      code: 'lookup_missing',
      recordKey: 'INV-1',
      position: { line: 1 },
    })
    await expect(failure).rejects.toThrow(/"0309999999".*"vendorNo"/)
  })

  it.each([
    ["$lookupTable('vendorNo', other, 'V9999')", 'V9999'],
    ["$lookupTable('vendorNo', other, null)", null],
    ["$lookupTable('vendorNo', mst, 'V9999')", 'V0010'],
    ["$lookupTable('unknownTable', mst, 'fallback')", 'fallback'],
  ])('%s = %j (default)', async (source, expected) => {
    expect(await map(source, asyncLookup)).toBe(expected)
  })

  it('fails when the field holding the key is missing', async () => {
    await expect(map("$lookupTable('vendorNo', nothing)", syncLookup)).rejects.toThrow(/\(missing\)/)
  })

  it('fails with lookup_missing when no resolver is bound', async () => {
    await expect(map("$lookupTable('vendorNo', mst)")).rejects.toMatchObject({ code: 'lookup_missing' })
  })

  it('gives up on a hung lookup at the mapping deadline', async () => {
    const hung: LookupResolver = () => new Promise(() => {})
    const failure = map("$lookupTable('vendorNo', mst)", hung, 50)
    await expect(failure).rejects.toMatchObject({ code: 'lookup_timeout' })
    await expect(failure).rejects.toThrow(/"vendorNo"/)
  })

  it('wraps a failing resolver as lookup_failed without leaking secrets', async () => {
    const broken: LookupResolver = async () => {
      throw new Error('connect failed: password=hunter22 host=db')
    }
    const failure = map("$lookupTable('vendorNo', mst)", broken)
    await expect(failure).rejects.toMatchObject({ code: 'lookup_failed' })
    await expect(failure).rejects.not.toThrow(/hunter22/)
  })

  it("leaves JSONata's built-in $lookup(object, key) alone", async () => {
    expect(await map("$lookup({ 'vendorNo': 1 }, 'vendorNo')", syncLookup)).toBe(1)
  })

  it('refuses the old spelling $lookup with a table name, naming $lookupTable (a stored flow must not map null)', () => {
    expect(() => compileMapping("{ 'v': $lookup('vendorNo', mst) }")).toThrow(
      expect.objectContaining({
        code: 'renamed_lookup',
        message: expect.stringContaining("$lookupTable('vendorNo'"),
      }),
    )
  })

  it('type-checks its arguments with a signature (a table name is a string)', async () => {
    await expect(map("$lookupTable({ 'a': 1 }, 'a')", syncLookup)).rejects.toMatchObject({ code: 'T0410' })
    await expect(map("$lookupTable('vendorNo', mst, 1, 2)", syncLookup)).rejects.toMatchObject({
      code: 'T0410',
    })
  })

  it('treats a default that yields nothing as no default', async () => {
    await expect(map("$lookupTable('vendorNo', other, nothing)", syncLookup)).rejects.toMatchObject({
      code: 'lookup_missing',
    })
  })
})
