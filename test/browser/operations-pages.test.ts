import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compileMapping } from '../../core/mapping/compile-mapping.ts'
import { describeFailure } from '../../runtime/engine/describe-failure.ts'
import type { FlowProgram } from '../../runtime/engine/flow-program.ts'
import { createLookupTables } from '../../runtime/engine/lookup-tables.ts'
import { insertRecords } from '../../runtime/store/records-store.ts'
import { startRun } from '../../runtime/store/runs-store.ts'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

/** BC purchase invoices become MISA vouchers; the vendor comes from a table that lacks V9999. */
const manifest = {
  version: 1,
  name: 'bc-invoices-to-misa',
  connections: { bc: 'business-central', misa: 'misa' },
  source: { connection: 'bc', stream: 'purchaseInvoices' },
  lookups: { vendor: { values: { V0001: 'NCC01' } } },
  map: "{ 'org_refid': id, 'org_refno': number, 'account_object_code': $lookupTable('vendor', vendorNumber), 'total_amount': totalAmountIncludingTax }",
  target: { connection: 'misa', stream: 'serviceVouchers', operation: 'upsert' },
}

/** The failure the engine stores for a vendor missing from the table (the real mapping code makes it). */
async function lookupMissing(vendorNumber: string) {
  const tables = createLookupTables({ contexts: {} as never })
  const program = { tenantId: 't', manifest, bindings: {} } as unknown as FlowProgram
  try {
    await compileMapping(manifest.map).evaluate(
      { id: 'x', vendorNumber },
      { lookup: tables.resolver(program) },
    )
  } catch (error) {
    return describeFailure(error)
  }
  throw new Error('the mapping should have failed')
}

/**
 * With FERRY_SCREENSHOTS=1, the Vietnamese record page is saved to docs/console/ (the English pages
 * come from the journeys' populated demo: journey-1.test.ts).
 */
async function screenshot(page: import('playwright-core').Page, name: string) {
  if (process.env.FERRY_SCREENSHOTS === '1')
    await page.screenshot({ path: `docs/console/${name}.png`, fullPage: true })
}

describe('operations pages in Chromium: overview, activity, exceptions, diagnostics, in English and Vietnamese', () => {
  let ferry: TestFerry
  let browser: Browser
  const failedIds: string[] = []
  let postedId = ''

  beforeAll(async () => {
    ferry = await startFerry('browser-operations', { timeZone: 'Asia/Ho_Chi_Minh' })
    browser = await launchBrowser()
    const bc = await ferry.api('POST', '/v1/connections', {
      name: 'bc',
      connector: 'business-central',
      config: ferry.sandboxes.bc.sandbox.connectionConfig(),
    })
    const misa = await ferry.api('POST', '/v1/connections', {
      name: 'misa',
      connector: 'misa',
      config: ferry.sandboxes.misa.sandbox.connectionConfig(),
    })
    const saved = await ferry.api('POST', '/v1/flows', {
      text: JSON.stringify(manifest),
      bindings: { bc: bc.id, misa: misa.id },
    })
    const flowId = saved.flow.id
    const run = await startRun(ferry.db, {
      tenantId: ferry.tenantId,
      flowId,
      flowVersion: 1,
      trigger: 'test',
    })
    const invoice = (n: number, vendorNumber: string) => ({
      id: `pi-${n}`,
      number: `PI-${1000 + n}`,
      vendorNumber,
      vendorInvoiceNumber: `1C26TAA${String(n).padStart(7, '0')}`,
      currencyCode: 'VND',
      totalAmountIncludingTax: 1_100_000 * n,
    })
    const records = Array.from({ length: 9 }, (_, i) => ({
      id: randomUUID(),
      tenantId: ferry.tenantId,
      flowId,
      flowVersion: 1,
      runId: run.id,
      sourceKey: `pi-${i + 1}`,
      sourceVersion: '1',
      orderKey: null,
      source: invoice(i + 1, i < 6 ? 'V0001' : 'V9999'),
    }))
    await insertRecords(ferry.db, records)
    const failure = await lookupMissing('V9999')
    for (const [i, r] of records.entries()) {
      if (i < 6) {
        // Delivered over the last three days, five minutes after being read.
        const at = new Date(Date.now() - (i % 3) * 86_400_000)
        await ferry.db
          .updateTable('records')
          .set({
            state: 'delivered',
            targetNumber: `NK${i}`,
            createdAt: new Date(at.getTime() - 300_000),
            updatedAt: at,
          })
          .where('id', '=', r.id)
          .execute()
      } else {
        failedIds.push(r.id)
        await ferry.db
          .updateTable('records')
          .set({ state: 'failed', attempts: 1, error: JSON.stringify(failure) })
          .where('id', '=', r.id)
          .execute()
        await ferry.db
          .insertInto('recordEvents')
          .values([
            {
              recordId: r.id,
              type: 'attempt',
              attempt: 1,
              durationMs: null,
              data: JSON.stringify({ flowVersion: 1 }),
            },
            {
              recordId: r.id,
              type: 'failed',
              attempt: 1,
              durationMs: null,
              data: JSON.stringify({ error: failure }),
            },
          ])
          .execute()
      }
    }
    postedId = records[1]!.id
    await ferry.db
      .insertInto('recordEvents')
      .values([
        {
          recordId: postedId,
          type: 'attempt',
          attempt: 1,
          durationMs: null,
          data: JSON.stringify({ flowVersion: 1 }),
        },
        {
          recordId: postedId,
          type: 'mapped',
          attempt: 1,
          durationMs: 2,
          data: JSON.stringify({
            record: { org_refid: 'pi-2', account_object_code: 'NCC00', total_amount: 2_200_000 },
          }),
        },
        {
          recordId: postedId,
          type: 'retry',
          attempt: 1,
          durationMs: null,
          data: JSON.stringify({
            error: { kind: 'transient', code: '503', message: 'MISA is busy' },
            delayMs: 5000,
          }),
        },
        {
          recordId: postedId,
          type: 'mapped',
          attempt: 2,
          durationMs: 2,
          data: JSON.stringify({
            record: { org_refid: 'pi-2', account_object_code: 'NCC01', total_amount: 2_200_000 },
          }),
        },
        {
          recordId: postedId,
          type: 'written',
          attempt: 2,
          durationMs: 140,
          data: JSON.stringify({
            status: 'done',
            id: 'v-2',
            number: 'NK1',
            calls: [
              {
                method: 'POST',
                url: 'http://misa.localhost/apir/sync/actopen/save',
                status: 200,
                durationMs: 131,
              },
            ],
          }),
        },
        {
          recordId: postedId,
          type: 'delivered',
          attempt: 2,
          durationMs: null,
          data: JSON.stringify({ number: 'NK1' }),
        },
      ])
      .execute()
    await ferry.db
      .insertInto('subscriptions')
      .values({
        tenantId: ferry.tenantId,
        connectionId: bc.id,
        stream: 'purchaseInvoices',
        remoteId: 'sub-expired',
        expiresAt: new Date(Date.now() - 3_600_000),
        data: JSON.stringify({}),
      })
      .execute()
  })
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  it('walks Overview → Activity → a record → Exceptions → Retry all (live) → Diagnostics, each accessible', async () => {
    const { page, context, problems } = await openPage(browser)
    await page.goto(await ferry.signInLink())
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.waitForURL(/\/console\/overview$/)
    expect(
      await page
        .getByRole('img', { name: /Records per day by state over the last 14 days \(9 in all\)/ })
        .count(),
    ).toBe(1)
    expect(await page.locator('main').textContent()).toContain('33.3%')
    // Every bar has its date under it, today's too (the tenant's day, as the page labels it).
    const today = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: 'numeric',
      month: 'numeric',
    }).format(new Date())
    const labels = await page.locator('svg.chart text.chart-label').allTextContents()
    expect(labels).toHaveLength(14)
    expect(labels.at(-1)).toBe(today)
    // The legend tells every state apart: one colour each, each at least 3:1 against the chart.
    // (in the page: the console's test config has no DOM types, hence `any`)
    const rgb = (css: string) => (css.match(/\d+/g) ?? []).slice(0, 3).map(Number)
    const chart = rgb(
      await page
        .locator('svg.chart')
        .evaluate((el: any) => (globalThis as any).getComputedStyle(el).backgroundColor),
    )
    const colours = (
      await page
        .locator('.legend .swatch')
        .evaluateAll((els: any[]) =>
          els.map((el) => (globalThis as any).getComputedStyle(el).backgroundColor),
        )
    ).map((css: string) => ({ colour: rgb(css), chart }))
    const luminance = (c: number[]) =>
      c
        .map((v) => v / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0)
    const ratio = (a: number[], b: number[]) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
      return (hi! + 0.05) / (lo! + 0.05)
    }
    expect(colours).toHaveLength(6)
    expect(new Set(colours.map((c) => c.colour.join())).size).toBe(6)
    for (const { colour, chart } of colours) expect(ratio(colour, chart)).toBeGreaterThanOrEqual(3)
    expect(await page.getByRole('link', { name: '3 records' }).count()).toBe(1)
    await expectAccessible(page, 'overview')

    await page.getByRole('link', { name: 'Activity' }).click()
    await page.getByLabel('Vendor invoice or document number').fill('1C26TAA0000002')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/document=1C26TAA0000002/)
    expect(await page.locator('tbody tr').count()).toBe(1)
    await expectAccessible(page, 'activity')
    await page.getByRole('link', { name: 'pi-2' }).click()
    await page.waitForURL(new RegExp(`/console/activity/${postedId}$`))
    const main = page.locator('main')
    expect(await main.textContent()).toMatch(/₫\s?2,200,000|2,200,000\s?₫/)
    // The second mapping shows what changed since the first; the write shows the target call.
    const diff = page.getByRole('table', { name: 'What changed since the previous mapping' })
    expect(await diff.locator('tbody tr').allTextContents()).toEqual(['$.account_object_code"NCC00""NCC01"'])
    expect(await main.textContent()).toContain('POST http://misa.localhost/apir/sync/actopen/save')
    expect(await main.textContent()).toContain('MISA is busy')
    await expectAccessible(page, 'record')

    await page.getByRole('link', { name: 'Exceptions' }).click()
    const group = page.getByRole('region', { name: /3 records/ })
    expect(await group.textContent()).toContain('key "V9999" is not in lookup table "vendor"')
    await expectAccessible(page, 'exceptions')
    await group.getByRole('button', { name: 'Retry all 3 in this group' }).click()
    await page.waitForURL(/notice=exceptions\.retryStarted/)
    // The workers map them again and fail them again (the vendor is still missing): the bar, fed by
    // server-sent events, reaches done with 3 settled.
    await page.locator('section[data-live][data-done="true"]').waitFor({ timeout: 60_000 })
    // Once done, the box says so with the counts, no longer "in progress" (live, then on a reload).
    const done = 'Retry done: 0 delivered, 3 failed again (3 of 3 settled)'
    const progress = page.getByRole('region', { name: done })
    expect(await progress.getByRole('heading', { level: 2 }).textContent()).toBe(done)
    expect(await progress.locator('[data-field="settled"]').textContent()).toBe('3')
    expect(await progress.locator('[data-count="failed"]').textContent()).toBe('3')
    expect(await page.getByText('Retry in progress').count()).toBe(0)
    await expectAccessible(page, 'exceptions with progress')
    const retried = page.url()
    await page.reload()
    expect(await page.getByRole('region', { name: done }).count()).toBe(1)
    await page.goto(
      `${ferry.url}/console/language?to=vi&back=${encodeURIComponent(new URL(retried).pathname + new URL(retried).search)}`,
    )
    expect(
      await page
        .getByRole('region', { name: 'Đã thử lại xong: 0 đã chuyển, 3 lỗi lại (3/3 đã xong)' })
        .count(),
    ).toBe(1)
    await page.goto(`${ferry.url}/console/language?to=en&back=/console/exceptions`)

    await page.getByRole('link', { name: 'Diagnostics' }).click()
    expect(await page.locator('main').textContent()).toContain('Expired')
    expect(await page.getByRole('button', { name: 'Renew the purchaseInvoices subscription' }).count()).toBe(
      1,
    )
    await expectAccessible(page, 'diagnostics')
    // The script closes the progress stream on its last event; Chromium reports that request as
    // aborted when the close beats the end of the response. Anything else is a problem.
    expect(problems().filter((p) => !/\/console\/live\/.*ERR_ABORTED/.test(p))).toEqual([])
    await context.close()
  })

  it('shows the same pages in Vietnamese with VND amounts formatted without a minor unit', async () => {
    const { page, context, problems } = await openPage(browser, { locale: 'vi-VN' })
    await page.goto(await ferry.signInLink())
    await page.goto(`${ferry.url}/console/language?to=vi&back=/console/overview`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tổng quan')
    await expectAccessible(page, 'overview (vi)')
    await page.goto(`${ferry.url}/console/activity/${postedId}`)
    const text = (await page.locator('main').textContent()) ?? ''
    expect(text).toMatch(/2\.200\.000\s₫/)
    expect(text).toContain('Thay đổi so với lần ánh xạ trước')
    await expectAccessible(page, 'record (vi)')
    await screenshot(page, 'activity-record-vi')
    for (const [path, heading] of [
      ['/console/activity', 'Hoạt động'],
      ['/console/exceptions', 'Ngoại lệ'],
      ['/console/diagnostics', 'Chẩn đoán'],
    ] as const) {
      await page.goto(`${ferry.url}${path}`)
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading)
      await expectAccessible(page, `${path} (vi)`)
    }
    expect(problems()).toEqual([])
    await context.close()
  })
})
