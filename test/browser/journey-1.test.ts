import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

  beforeAll(async () => {
    ferry = await startFerry('journey-1', { timeZone: 'Asia/Ho_Chi_Minh' })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  it('connects BC by consent and Basware by its form, then enables bc-basware and posts invoices', async () => {
    const { page, problems } = await openPage(browser)
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
    expect(await bcCard.getByText('Connected').count()).toBe(1)
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
    await user.fill(page.getByLabel('clientSecret'), 'not-the-secret')
    await user.click(page.getByRole('button', { name: 'Save and check' }))
    const refusal = await page.getByRole('alert').textContent()
    await screenshot(page, 'basware-refused')
    expect(refusal).toContain('refused the connection')
    expect(refusal).not.toContain('not-the-secret')
    await user.fill(page.getByLabel('clientSecret'), config.clientSecret!)
    await user.click(page.getByRole('button', { name: 'Save and check' }))
    await page.waitForURL(/\/console\/integrations\?notice=/)
    expect(await bwCard.getByText('Connected').count()).toBe(1)
    await expectAccessible(page, 'integrations (connected)')
    await screenshot(page, 'integrations')

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
    await user.fill(taxTable.getByLabel(`Search values for ${key}`), other)
    await user.click(firstRow.getByRole('button', { name: 'Save' }))
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
    // The recipe page shows the run that posted them.
    await page.reload()
    expect(await invoices.getByRole('cell').nth(2).textContent()).not.toBe('never')
    await screenshot(page, 'recipe-flows')
    expect(problems()).toEqual([])
    const cost = user.summary()
    console.log(`journey 1 to the first posted invoice: ${JSON.stringify(cost)}`)
  })
})
