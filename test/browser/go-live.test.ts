import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countByClass, type ReconcileItem } from '../../core/reconcile/reconcile-item.ts'
import { formatMoney } from '../../runtime/console/format-money.ts'
import {
  createReconciliation,
  finishReconciliation,
  saveReconciliationFlow,
  startReconciliation,
} from '../../runtime/store/reconciliations-store.ts'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

/** A document of the sample period as the reconciliation reports it (VND, whole đồng). */
const item = (cls: ReconcileItem['class'], n: number, extra: Partial<ReconcileItem> = {}): ReconcileItem => ({
  class: cls,
  sourceKey: `pi-${n}`,
  party: 'Công ty TNHH Minh Phát',
  reference: `1C26TAA${String(n).padStart(7, '0')}`,
  date: '2026-11-20',
  currency: 'VND',
  amount: 4_074_071,
  targetIds: cls === 'not_in_target' ? [] : [`mv-${n}`],
  targetNumbers: cls === 'not_in_target' ? [] : cls === 'posted_twice' ? ['NK0009', 'NK0010'] : [`NK000${n}`],
  differences: [],
  ...extra,
})

/**
 * Issue 15 in the console: a finance clerk starts a sample period (shadow) for bc-misa, previews going
 * live, goes live, reads a comparison of the period — differing fields with MISA's rounding told apart
 * from mistakes, amounts in đồng — and starts a new comparison; in English and Vietnamese, each page
 * passing axe.
 */
describe('go live in Chromium: sample period, preview, switch, comparison report', () => {
  let ferry: TestFerry
  let browser: Browser
  let reconciliationId = ''

  beforeAll(async () => {
    ferry = await startFerry('browser-go-live', { timeZone: 'Asia/Ho_Chi_Minh' })
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
    await ferry.api('POST', '/v1/recipes/bc-misa/enable', { bindings: { bc: bc.id, misa: misa.id } })
    const flows = (await ferry.api('GET', '/v1/flows')).items as { id: string; name: string }[]
    const invoices = flows.find((f) => f.name === 'bc-misa-bc-invoices-to-misa')!
    // A finished comparison of the sample period, as the reconciliation worker stores one.
    const items = [
      item('matched', 1),
      item('differs', 2, {
        differences: [
          { field: 'gross', expected: 4_074_071, actual: 4_047_071, kind: 'mistake', expectedFrom: 'source' },
          {
            field: 'lines[0].account',
            expected: '6271',
            actual: '6421',
            kind: 'mistake',
            expectedFrom: 'ferry',
          },
        ],
      }),
      item('differs', 3, {
        differences: [
          { field: 'vat', expected: 370_370, actual: 370_371, kind: 'rounding', expectedFrom: 'ferry' },
        ],
      }),
      item('not_in_target', 4),
      item('not_from_ferry', 5, { sourceKey: undefined }),
      item('posted_twice', 6),
    ]
    const row = await createReconciliation(ferry.db, {
      tenantId: ferry.tenantId,
      recipe: 'bc-misa',
      period: { from: '2026-11-16', to: '2026-11-23' },
      trigger: 'test',
    })
    reconciliationId = row.id
    await startReconciliation(ferry.db, row.id)
    const counts = countByClass(items)
    await saveReconciliationFlow(
      ferry.db,
      row.id,
      { flowId: invoices.id, flowName: invoices.name, targetView: 'read', counts },
      items,
      1,
    )
    await finishReconciliation(ferry.db, row.id, { counts })
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  const modes = async () =>
    ((await ferry.api('GET', '/v1/flows')).items as { recipe: string; mode: string }[])
      .filter((f) => f.recipe === 'bc-misa')
      .map((f) => f.mode)
  const accept = (page: Page) => page.on('dialog', (d) => void d.accept())

  it('starts a sample period, previews and goes live, then reads the comparison', async () => {
    const { page, context, problems } = await openPage(browser)
    accept(page)
    await page.goto(await ferry.signInLink())
    await page.getByRole('link', { name: 'Go live' }).click()
    await page.waitForURL(/\/console\/go-live$/)
    const recipe = page.getByRole('region', { name: /MISA AMIS/ })
    expect(await recipe.textContent()).toContain('Live — Ferry posts')
    await expectAccessible(page, 'go live (live)')

    await recipe.getByRole('button', { name: 'Start a sample period' }).click()
    await page.waitForURL(/notice=golive\.shadowNotice/)
    expect(new Set(await modes())).toEqual(new Set(['shadow']))
    expect(await page.getByRole('region', { name: /MISA AMIS/ }).textContent()).toContain(
      'Sample period — Ferry checks, writes nothing',
    )

    await page.getByRole('link', { name: 'Preview going live' }).click()
    await page.waitForURL(/\/go-live\/bc-misa\/preview$/)
    expect(await page.getByRole('heading', { name: /To post once \(\d+\)/ }).count()).toBe(1)
    expect(await page.getByRole('heading', { name: /Already in MISA AMIS/ }).count()).toBe(1)
    expect(new Set(await modes())).toEqual(new Set(['shadow'])) // a preview changes nothing
    await expectAccessible(page, 'go live preview')
    await page.getByRole('button', { name: 'Go live now' }).click()
    await page.waitForURL(/notice=golive\.liveNotice/)
    expect(new Set(await modes())).toEqual(new Set(['live']))

    // The comparison of the sample period, from the history table.
    await page.getByRole('link', { name: 'Open' }).first().click()
    await page.waitForURL(new RegExp(`/reconciliations/${reconciliationId}$`))
    const differs = page.getByRole('table', { name: 'Differing' })
    const mistake = differs.getByRole('row', { name: /1C26TAA0000002/ }).first()
    expect(await mistake.textContent()).toContain('To correct')
    expect(await mistake.textContent()).toContain(formatMoney('en', 4_047_071, 'VND'))
    expect(await mistake.textContent()).toContain('6421')
    const rounding = differs.getByRole('row', { name: /1C26TAA0000003/ }).first()
    expect(await rounding.textContent()).toContain('Rounding by MISA')
    expect(await rounding.textContent()).not.toContain('To correct')
    expect(await page.getByText(/rounds amounts by its own rule/).count()).toBe(1)
    expect(await page.getByRole('table', { name: /Missing in MISA/ }).textContent()).toContain(
      '1C26TAA0000004',
    )
    expect(await page.getByRole('table', { name: /Keyed in MISA/ }).textContent()).toContain('NK0005')
    expect(await page.getByRole('table', { name: 'Posted twice' }).textContent()).toContain('NK0009, NK0010')
    await expectAccessible(page, 'comparison report')
    const download = await page.request.get(
      new URL(`/console/go-live/reconciliations/${reconciliationId}/csv`, page.url()).href,
    )
    expect(download.status()).toBe(200)
    expect(await download.text()).toContain('1C26TAA0000002')

    // A new comparison from the form: queued with the API, its page follows it.
    await page.goto(new URL('/console/go-live', page.url()).href)
    const form = page.getByRole('region', { name: /MISA AMIS/ })
    await form.getByLabel('First day').fill('2026-11-01')
    await form.getByLabel('Last day (included)').fill('2026-11-30')
    await form.getByRole('button', { name: 'Compare' }).click()
    await page.waitForURL(/\/go-live\/reconciliations\/[0-9a-f-]{36}$/)
    const created = (await ferry.api('GET', '/v1/reconciliations?recipe=bc-misa')).items as {
      periodFrom: string
      periodTo: string
    }[]
    expect(created.some((r) => r.periodFrom === '2026-11-01' && r.periodTo === '2026-12-01')).toBe(true)
    await expectAccessible(page, 'comparison (new)')
    expect(problems()).toEqual([])
    await context.close()
  })

  it('reads the same report in Vietnamese, amounts in whole đồng', async () => {
    const { page, context, problems } = await openPage(browser, { locale: 'vi-VN' })
    await page.goto(await ferry.signInLink())
    await page.goto(new URL(`/console/go-live/reconciliations/${reconciliationId}`, page.url()).href)
    const differs = page.getByRole('table', { name: 'Chênh lệch' })
    const rounding = differs.getByRole('row', { name: /1C26TAA0000003/ }).first()
    expect(await rounding.textContent()).toContain('Làm tròn của MISA')
    expect(
      await differs
        .getByRole('row', { name: /1C26TAA0000002/ })
        .first()
        .textContent(),
    ).toContain(formatMoney('vi', 4_047_071, 'VND'))
    expect(formatMoney('vi', 4_047_071, 'VND')).toMatch(/^4\.047\.071\s₫$/)
    await expectAccessible(page, 'comparison report (vi)')
    expect(problems()).toEqual([])
    await context.close()
  })
})
