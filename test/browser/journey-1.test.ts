import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { countJourney } from './journey-counter.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

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
    await user.click(page.getByRole('button', { name: 'Accept' }))
    await page.waitForURL(/\/console\/integrations\/[^/]+\/choose$/)
    await expectAccessible(page, 'choose environment')
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
    expect(refusal).toContain('refused the connection')
    expect(refusal).not.toContain('not-the-secret')
    await user.fill(page.getByLabel('clientSecret'), config.clientSecret!)
    await user.click(page.getByRole('button', { name: 'Save and check' }))
    await page.waitForURL(/\/console\/integrations\?notice=/)
    expect(await bwCard.getByText('Connected').count()).toBe(1)
    await expectAccessible(page, 'integrations (connected)')
    expect(problems()).toEqual([])
    console.log('journey 1 so far', JSON.stringify(user.summary()))
  })
})
