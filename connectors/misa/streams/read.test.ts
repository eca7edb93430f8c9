import { describe, expect, it } from 'vitest'
import { misa } from '../index.ts'
import { startTestEnv } from '../test-env.ts'

async function readAll(
  stream: string,
  ctx: Parameters<NonNullable<(typeof misa.streams)[string]['read']>>[0],
  cursor: string | null,
  pageSize = 100,
  query = {},
) {
  const pages = []
  for await (const page of misa.streams[stream]!.read!(ctx, { cursor, query, pageSize })) pages.push(page)
  return pages
}

describe('master-data reads', () => {
  it('stops on a short page without asking for an empty one', async () => {
    const { ctx, control } = await startTestEnv()
    const pages = await readAll('accountObjects', ctx, null, 4)
    expect(pages.map((p) => p.records.length)).toEqual([4, 4, 3])
    expect((await control('stats')).get_dictionary).toBe(3)
  })

  it('clamps the page size to MISA’s cap of 100', async () => {
    const { ctx, control, sandbox } = await startTestEnv()
    await sandbox.produce!(120)
    await control('settings', { strict: true })
    const pages = await readAll('accountObjects', ctx, null, 500)
    expect(pages.map((p) => p.records.length)).toEqual([100, 31])
  })

  it('reads incrementally from the last watermark (CustomData.LastSyncTime)', async () => {
    const { ctx, sandbox } = await startTestEnv()
    const first = await readAll('accountObjects', ctx, null)
    const cursor = first.at(-1)!.cursor
    expect(JSON.parse(cursor!)).toMatchObject({
      skip: 0,
      lastSyncTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    })
    await new Promise((r) => setTimeout(r, 5))
    await sandbox.produce!(2)
    const next = (await readAll('accountObjects', ctx, cursor)).flatMap((p) => p.records)
    expect(next.map((r) => r.account_object_code)).toEqual(['NCC00012', 'NCC00013'])
  })

  it('returns records in MISA’s shape with the write dictionary_type numbering', async () => {
    const { ctx } = await startTestEnv()
    const [page] = await readAll('items', ctx, null)
    expect(page!.records[0]).toMatchObject({ dictionary_type: 3, inventory_item_code: expect.any(String) })
    const vendors = (await readAll('accountObjects', ctx, null)).flatMap((p) => p.records)
    expect(vendors.find((v) => v.account_object_code === 'V0060')).toMatchObject({
      company_tax_code: '0312121218-001',
      is_vendor: true,
    })
  })

  it.each([
    ['accounts', 'account_number'],
    ['stocks', 'stock_code'],
    ['units', 'unit_name'],
    ['expenseItems', 'expense_item_code'],
    ['branches', 'organization_unit_code'],
    ['projects', 'project_work_code'],
  ])('reads %s', async (stream, codeField) => {
    const { ctx } = await startTestEnv()
    const records = (await readAll(stream, ctx, null)).flatMap((p) => p.records)
    expect(records.length).toBeGreaterThan(0)
    for (const r of records) expect(r[codeField]).toBeTruthy()
  })

  it('reads deletions from get_dictionary_delete with data parsed', async () => {
    const { ctx, control } = await startTestEnv()
    const [vendor] = (await readAll('accountObjects', ctx, null)).flatMap((p) => p.records)
    await control('delete-record', { dataType: 1, id: vendor!.account_object_id })
    const tombstones = (await readAll('dictionaryDeletions', ctx, null, 100, { dataType: 1 })).flatMap(
      (p) => p.records,
    )
    expect(tombstones).toEqual([
      expect.objectContaining({
        id: vendor!.account_object_id,
        type: 1,
        data: expect.objectContaining({ code: vendor!.account_object_code }),
      }),
    ])
  })

  it('refuses a cursor it did not write', async () => {
    const { ctx } = await startTestEnv()
    await expect(readAll('accountObjects', ctx, '{"page":2}')).rejects.toMatchObject({ kind: 'config' })
  })
})
