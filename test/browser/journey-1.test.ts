import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../support/wait-for.ts'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { countJourney } from './journey-counter.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

/** With FERRY_SCREENSHOTS=1, the journey saves the main pages into docs/console/ (the README shows them). */
async function screenshot(page: Page, name: string) {
  if (process.env.FERRY_SCREENSHOTS === '1')
    await page.screenshot({
      path: new URL(`../../docs/console/${name}.png`, import.meta.url).pathname,
      fullPage: true,
    })
}

/**
 * Journey 1 of issue 14: a finance team connects BC ↔ Basware from nothing in the console and
 * watches invoices post. Every click and typed field goes through the counter (reported at the end).
 */
describe('journey 1: BC ↔ Basware from nothing', () => {
  let ferry: TestFerry
  let browser: Browser
  // The second half goes on in the same browser session, where the first left off.
  let session: Awaited<ReturnType<typeof openPage>>

  beforeAll(async () => {
    ferry = await startFerry('journey-1', { timeZone: 'Asia/Ho_Chi_Minh' })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  it('connects BC by consent and Basware by its form, then enables bc-basware and posts invoices', async () => {
    session = await openPage(browser)
    const { page, problems } = session
    const user = countJourney(page)
    await page.goto(await ferry.signInLink())
    await page.waitForURL(/\/console\/integrations$/)
    await expectAccessible(page, 'integrations (nothing connected)')

    // Business Central: Microsoft's consent page, then environment and company from BC's lists.
    const bcCard = page.getByRole('region', { name: 'Microsoft Dynamics 365 Business Central' })
    await user.click(bcCard.getByRole('button', { name: 'Connect with Microsoft' }))
    await page.waitForURL(/bc\.localhost.*authorize/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Permissions requested')
    await screenshot(page, 'consent')
    await user.click(page.getByRole('button', { name: 'Accept' }))
    await page.waitForURL(/\/console\/integrations\/[^/]+\/choose$/)
    await expectAccessible(page, 'choose environment')
    await screenshot(page, 'choose-environment')
    expect(await page.getByLabel('Environment').locator('option').allTextContents()).toEqual([
      'Production · Production · VN',
      'Sandbox · Sandbox · VN',
    ])
    await user.click(page.getByRole('button', { name: 'Continue' }))
    await page.getByLabel('Company').waitFor()
    const companies = await page.getByLabel('Company').locator('option').allTextContents()
    expect(companies.length).toBeGreaterThan(0)
    await user.click(page.getByRole('button', { name: 'Continue' }))
    await page.waitForURL(/\/console\/integrations\?notice=/)
    expect(await bcCard.getByText('Connected', { exact: true }).count()).toBe(1)
    const [bc] = (await ferry.api('GET', '/v1/connections')).items
    expect(bc.config).toMatchObject({ authMode: 'delegated', environment: 'Production' })
    expect(bc.config.tenantId).toMatch(/^[0-9a-f-]{36}$/)
    // The refresh token is stored sealed: nothing in connection_state reads as the token.
    const state = await ferry.db.selectFrom('connectionState').select(['key', 'value']).execute()
    expect(state.map((s) => s.key)).toContain('bc.refreshToken')
    expect(JSON.stringify(state)).not.toMatch(/sbr\./)

    // Basware: a wrong secret shows Basware's exact refusal; the right one connects.
    const config = ferry.sandboxes.basware.sandbox.connectionConfig() as Record<string, string>
    const bwCard = page.getByRole('region', { name: /Basware/ })
    await user.click(bwCard.getByRole('link', { name: 'Connect' }))
    await page.waitForURL(/\/basware\/setup$/)
    await expectAccessible(page, 'Basware setup form')
    expect(await page.getByLabel('clientSecret').getAttribute('type')).toBe('password')
    await user.fill(page.getByLabel('baseUrl'), config.baseUrl!)
    await user.fill(page.getByLabel('clientId'), config.clientId!)
    await user.fill(page.getByLabel('clientSecret'), 'not-the-secret', { detour: 'a wrong secret first' })
    await user.click(page.getByRole('button', { name: 'Save and check' }), {
      detour: 'a wrong secret first',
      submits: true,
    })
    const refusal = await page.getByRole('alert').textContent()
    await screenshot(page, 'basware-refused')
    expect(refusal).toContain('refused the connection')
    expect(refusal).not.toContain('not-the-secret')
    await user.fill(page.getByLabel('clientSecret'), config.clientSecret!)
    await user.click(page.getByRole('button', { name: 'Save and check' }))
    await page.waitForURL(/\/console\/integrations\?notice=/)
    expect(await bwCard.getByText('Connected', { exact: true }).count()).toBe(1)
    await expectAccessible(page, 'integrations (connected)')

    // Recipes: what bc-basware moves and when, then enable it with the two connections.
    await user.click(page.getByRole('link', { name: 'Recipes' }))
    const recipe = page.getByRole('region', { name: 'Business Central ↔ Basware P2P' })
    await expectAccessible(page, 'recipes (not enabled)')
    await screenshot(page, 'recipe-enable')
    expect(
      await recipe.getByRole('cell', { name: 'every 15 minutes, and when notified of a change' }).count(),
    ).toBeGreaterThan(0)
    await user.click(recipe.getByRole('button', { name: 'Enable recipe' }))
    await page.waitForURL(/\/console\/recipes\?notice=/)

    // Map masters: override one proposal with the picker, then confirm the rest.
    await user.click(page.getByRole('link', { name: 'Map masters' }))
    await expectAccessible(page, 'map masters')
    await screenshot(page, 'map-masters')
    const taxTable = page.getByRole('region', { name: /tax codes/ })
    const firstRow = taxTable.getByRole('row').nth(1)
    const key = (await firstRow.getByRole('cell').first().textContent())!.trim()
    const picker = taxTable.getByLabel(`Pick a value for ${key}`)
    const options = (
      await picker.locator('option').evaluateAll((os) => os.map((o) => (o as any).value))
    ).filter(Boolean)
    expect(options.length).toBeGreaterThan(1)
    const proposed = (await firstRow.getByRole('cell').nth(3).textContent())!.trim()
    const other = options.find((o: string) => o !== proposed)!
    const override = { detour: 'overriding one proposal' }
    await user.fill(taxTable.getByLabel(`Search values for ${key}`), other, override)
    await user.click(firstRow.getByRole('button', { name: 'Save' }), { ...override, submits: true })
    await page.waitForURL(/\/console\/masters\?notice=masters.savedNotice/)
    await user.click(page.getByRole('button', { name: 'Confirm all proposed' }).first())
    await page.waitForURL(/notice=masters.confirmedNotice/)
    while ((await page.getByRole('button', { name: 'Confirm all proposed' }).count()) > 0) {
      await user.click(page.getByRole('button', { name: 'Confirm all proposed' }).first())
      await page.waitForURL(/notice=masters.confirmedNotice/)
    }
    const rows = await ferry.api('GET', '/v1/mapping-tables/basware-tax-code-to-bc-tax-group/rows')
    expect(rows.items.find((r: any) => r.key === key)).toMatchObject({
      state: 'confirmed',
      confirmedValue: other,
    })

    // Turn the flows on and run the invoice flow now; invoices post in BC.
    await user.click(page.getByRole('link', { name: 'Recipes' }))
    await user.click(recipe.getByRole('button', { name: 'Turn on every flow' }))
    await page.waitForURL(/notice=recipes.flowsOn/)
    const invoices = recipe.getByRole('row', { name: /invoices-to-bc/ }).filter({ hasNotText: 'credit' })
    await user.click(invoices.getByRole('button', { name: 'Run now' }))
    await page.waitForURL(/notice=recipes.runQueued/)
    await expectAccessible(page, 'recipes (enabled)')
    const flows = (await ferry.api('GET', '/v1/flows')).items as { id: string; name: string }[]
    const invoiceFlow = flows.find((f) => f.name === 'bc-basware-basware-invoices-to-bc')!
    const deadline = Date.now() + 180_000
    let delivered = 0
    while (Date.now() < deadline) {
      const records = await ferry.db
        .selectFrom('records')
        .select(['state'])
        .where('flowId', '=', invoiceFlow.id)
        .execute()
      delivered = records.filter((r) => r.state === 'delivered').length
      if (delivered > 0 && records.every((r) => ['delivered', 'failed', 'skipped'].includes(r.state))) break
      await new Promise((r) => setTimeout(r, 1000))
    }
    expect(delivered).toBeGreaterThan(0)
    // What it took a person, counted up to here (the closing note and the README quote it).
    const cost = user.summary()
    console.log(user.report('journey 1, from nothing to the first posted invoice'))
    expect(cost.guids).toBe(0)
    expect(cost.needed.typed).toBe(3)
    // The recipe page shows the run that posted them.
    await page.reload()
    expect(await invoices.getByRole('cell').nth(2).textContent()).not.toBe('never')
    await screenshot(page, 'recipe-flows')
    expect(problems()).toEqual([])
  })

  it('BC closes its period: the failures are one group with BC’s message; reopened, Retry all posts each exactly once', async () => {
    const { page, problems } = session
    const { bc, basware } = ferry.sandboxes
    const flows = (await ferry.api('GET', '/v1/flows')).items as { id: string; name: string }[]
    const invoiceFlow = flows.find((f) => f.name === 'bc-basware-basware-invoices-to-bc')!
    const recordsOf = (sourceKeys: string[]) =>
      ferry.db
        .selectFrom('records')
        .select(['id', 'sourceKey', 'state', 'error'])
        .where('flowId', '=', invoiceFlow.id)
        .where('sourceKey', 'in', sourceKeys)
        .execute()

    // BC's accountant closes the period (the sandbox's control API stands for BC's own setup page).
    await bc.control('POST', 'faults', { closedBefore: '2100-01-01' })
    const { invoiceIds } = (await basware.control('POST', 'documents', { count: 5 })) as {
      invoiceIds: string[]
    }
    const seeded: string[] = []
    for (const id of invoiceIds) {
      const { document } = await basware.control('GET', `documents/${id}`)
      if (!['CreditNote', '381'].includes(document.invoiceTypeCode) && document.grossSum >= 0) seeded.push(id)
    }
    expect(seeded.length).toBeGreaterThan(0)
    await page.getByRole('link', { name: 'Recipes' }).click()
    const recipe = page.getByRole('region', { name: 'Business Central ↔ Basware P2P' })
    const invoices = recipe.getByRole('row', { name: /invoices-to-bc/ }).filter({ hasNotText: 'credit' })
    await invoices.getByRole('button', { name: 'Run now' }).click()
    await page.waitForURL(/notice=recipes.runQueued/)
    const failed = await waitFor(
      'the new invoices refused by BC',
      async () => {
        const records = await recordsOf(seeded)
        return records.length === seeded.length && records.every((r) => r.state === 'failed') && records
      },
      180_000,
    )
    const closed = 'Posting Date is not within your range of allowed posting dates.'
    for (const r of failed) expect((r.error as { remoteMessage?: string }).remoteMessage).toContain(closed)

    // One group, headed by BC's own words, with one button for all of them.
    await page.getByRole('link', { name: 'Exceptions' }).click()
    await page.waitForURL(/\/console\/exceptions$/)
    const groups = page.locator('section.exception')
    expect(await groups.count()).toBe(1)
    const group = page.getByRole('region', { name: new RegExp(`^${seeded.length} records: ${closed}`) })
    expect(await group.locator('.exact').textContent()).toMatch(
      /^Posting Date is not within your range of allowed posting dates\.\s+CorrelationId:\s+[0-9a-f-]{36}\.$/,
    )
    expect(await group.textContent()).toContain('Application_DialogException')
    await expectAccessible(page, 'exceptions (a closed period)')
    await screenshot(page, 'exceptions')

    // BC reopens the period; one click retries the whole group, followed live.
    await bc.control('POST', 'faults', {})
    await group.getByRole('button', { name: `Retry all ${seeded.length} in this group` }).click()
    await page.waitForURL(/notice=exceptions\.retryStarted/)
    await page.locator('section[data-live][data-done="true"]').waitFor({ timeout: 180_000 })
    const progress = page.getByRole('region', {
      name: `Retry done: ${seeded.length} delivered, 0 failed again (${seeded.length} of ${seeded.length} settled)`,
    })
    expect(await progress.locator('[data-field="settled"]').textContent()).toBe(String(seeded.length))
    expect(await progress.locator('[data-count="delivered"]').textContent()).toBe(String(seeded.length))
    expect(await progress.locator('[data-count="failed"]').textContent()).toBe('0')
    await expectAccessible(page, 'exceptions (retry done)')
    await screenshot(page, 'exceptions-retried')
    expect((await recordsOf(seeded)).map((r) => r.state)).toEqual(seeded.map(() => 'delivered'))

    // BC's own books: one posted purchase invoice per Basware invoice, none twice; Basware heard
    // "failed" once and then "posted" once.
    const inBc = (await bc.control('GET', 'state/purchaseInvoices')) as Record<string, any>[]
    for (const id of seeded) {
      const { document, history } = await basware.control('GET', `documents/${id}`)
      const posted = inBc.filter(
        (i) => i.vendorNumber === document.supplierCode && i.vendorInvoiceNumber === document.invoiceNumber,
      )
      expect(posted, `BC invoices for Basware ${document.invoiceNumber}`).toHaveLength(1)
      expect(posted[0]!.status).toBe('Open')
      expect(document.transferResponses.map((r: { success: boolean }) => r.success)).toEqual([false, true])
      expect(
        history.filter((h: { action: string }) => h.action.startsWith('transfer')).map((h: any) => h.success),
      ).toEqual([false, true])
    }
    const keys = inBc
      .filter((i) => i.vendorInvoiceNumber)
      .map((i) => `${i.vendorNumber}/${i.vendorInvoiceNumber}`)
    expect(keys.length).toBe(new Set(keys).size)

    // The groups as they are now: none left.
    await page.getByRole('link', { name: 'Show the exceptions as they are now' }).click()
    await page.waitForURL(/\/console\/exceptions$/)
    expect(await page.locator('section.exception').count()).toBe(0)
    expect(await page.locator('main').textContent()).toContain('No failed records. Everything moved.')

    // The rest of the console, populated by this journey (the README's screenshots).
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.waitForURL(/\/console\/overview$/)
    await expectAccessible(page, 'overview (after the journey)')
    await screenshot(page, 'overview')
    const retried = failed[0]!
    await page.goto(`${ferry.url}/console/activity/${retried.id}`)
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain(closed)
    // Every step in words: what Basware was told each time, no raw event names or placeholders.
    expect(main).toContain('transferResponse · told it failed: Posting Date is not within')
    expect(main).toContain('transferResponse · told it succeeded: Posted in Business Central as')
    expect(main).toContain('Sent again (retry)')
    expect(main).not.toMatch(/\{n\}|\breplayed\b/)
    await expectAccessible(page, 'a retried record')
    await screenshot(page, 'activity-record')
    await page.getByRole('link', { name: 'Activity' }).click()
    await expectAccessible(page, 'activity (after the journey)')
    await page.getByRole('link', { name: 'Diagnostics' }).click()
    await expectAccessible(page, 'diagnostics (after the journey)')
    await screenshot(page, 'diagnostics')
    await page.getByRole('link', { name: 'Integrations' }).click()
    await expectAccessible(page, 'integrations (after the journey)')
    await screenshot(page, 'integrations')
    // The progress stream closes on its last event; Chromium may report that request as aborted.
    expect(problems().filter((p) => !/\/console\/live\/.*ERR_ABORTED/.test(p))).toEqual([])
  })
})
