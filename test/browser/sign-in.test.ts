import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

describe('console sign-in in Chromium', () => {
  let ferry: TestFerry
  let browser: Browser

  beforeAll(async () => {
    ferry = await startFerry('browser-sign-in', { timeZone: 'Asia/Ho_Chi_Minh' })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  it('the one-time link signs in once; the page is accessible and breaks no CSP rule', async () => {
    const { page, context, problems } = await openPage(browser)
    const link = await ferry.signInLink()
    await page.goto(link)
    expect(new URL(page.url()).pathname).toBe('/console/integrations')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Integrations')
    expect(await page.getByRole('heading', { name: 'Business Central' }).count()).toBe(1)
    const cookie = (await context.cookies()).find((c) => c.name === 'ferry_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' })
    await expectAccessible(page, 'integrations')
    expect(problems()).toEqual([])

    // A second browser cannot reuse the link.
    const other = await openPage(browser)
    await other.page.goto(link)
    expect(new URL(other.page.url()).pathname).toBe('/console/sign-in')
    expect(await other.page.getByRole('status').textContent()).toContain('already used or has expired')
    await other.context.close()

    // Sign-out ends the session server-side: the old cookie no longer opens a page.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/console\/sign-in/)
    const replay = await browser.newContext()
    await replay.addCookies([{ ...cookie!, value: cookie!.value }])
    const again = await replay.newPage()
    await again.goto(`${ferry.url}/console/integrations`)
    expect(new URL(again.url()).pathname).toBe('/console/sign-in')
    await replay.close()
    await context.close()
  })

  it('signs in with the tenant API key, refuses an unknown one, and switches to Vietnamese', async () => {
    const { page, context, problems } = await openPage(browser)
    await page.goto(`${ferry.url}/console/integrations`)
    expect(new URL(page.url()).pathname).toBe('/console/sign-in')
    await expectAccessible(page, 'sign-in')
    await page.getByLabel('Tenant API key').fill('fry_ten_not-a-key')
    await page.getByRole('button', { name: 'Sign in' }).click()
    expect(await page.getByRole('alert').textContent()).toContain('unknown or revoked')

    await page.getByLabel('Tenant API key').fill(ferry.apiKey)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/console\/integrations$/)

    await page.getByRole('link', { name: 'Tiếng Việt' }).click()
    await page.waitForURL(/\/console\/integrations$/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kết nối')
    expect(await page.locator('html').getAttribute('lang')).toBe('vi')
    await expectAccessible(page, 'integrations (vi)')
    expect(problems()).toEqual([])
    await context.close()
  })
})
