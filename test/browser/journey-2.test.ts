import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chartPreset } from '../../core/vietnam/chart-presets.ts'
import { waitFor } from '../support/wait-for.ts'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { countJourney } from './journey-counter.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

/** With FERRY_SCREENSHOTS=1, the journey saves its pages into docs/console/ (the README shows them). */
async function screenshot(page: Page, name: string) {
  if (process.env.FERRY_SCREENSHOTS === '1')
    await page.screenshot({
      path: new URL(`../../docs/console/${name}.png`, import.meta.url).pathname,
      fullPage: true,
    })
}

/** MISA's answer to a wrong access code, in AMIS's own words (the MISA sandbox, per misa-api.md). */
const MISA_REFUSAL = 'Mã kết nối (access_code) không hợp lệ'

/**
 * Journey 2 of issue 14: a finance team connects MISA AMIS in the console (a wrong access code first),
 * enables bc-misa, and clears a `lookup_missing` exception from its link to the mapping row.
 * Business Central is connected through the API: journey 1 walks its consent.
 */
describe('journey 2: MISA, a refused access code, bc-misa and a missing mapping row fixed from its exception', () => {
  let ferry: TestFerry
  let browser: Browser

  beforeAll(async () => {
    ferry = await startFerry('journey-2', { timeZone: 'Asia/Ho_Chi_Minh' })
    browser = await launchBrowser()
    await ferry.api('POST', '/v1/connections', {
      name: 'business-central',
      connector: 'business-central',
      config: ferry.sandboxes.bc.sandbox.connectionConfig(),
    })
  })
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  it('shows MISA’s exact refusal and saves nothing; corrected, enables bc-misa; the exception’s link fixes the row; Retry delivers', async () => {
    const { page, problems } = await openPage(browser)
    const user = countJourney(page)
    const { bc, misa } = ferry.sandboxes
    const config = misa.sandbox.connectionConfig() as Record<string, string>
    await page.goto(await ferry.signInLink())
    await page.waitForURL(/\/console\/integrations$/)

    // MISA's form: a wrong access code shows MISA's words, and no connection is stored.
    const misaCard = page.getByRole('region', { name: /MISA/ })
    await user.click(misaCard.getByRole('link', { name: 'Connect' }))
    await page.waitForURL(/\/misa\/setup$/)
    expect(await page.getByLabel('accessCode').getAttribute('type')).toBe('password')
    await user.click(page.getByText('Advanced settings'))
    await user.fill(page.getByLabel('baseUrl'), config.baseUrl!)
    await user.fill(page.getByLabel('appId'), config.appId!)
    const wrong = { detour: 'a wrong access code first' }
    await user.fill(page.getByLabel('accessCode'), 'not-the-access-code', wrong)
    await user.fill(page.getByLabel('orgCompanyCode'), config.orgCompanyCode!)
    // The AMIS branch is no typed GUID: it is picked from MISA's list once the credentials work.
    expect(await page.getByLabel('branchId').count()).toBe(0)
    await user.click(page.getByRole('button', { name: 'Save and check' }), { ...wrong, submits: true })
    const refusal = (await page.getByRole('alert').textContent()) ?? ''
    expect(refusal).toContain(MISA_REFUSAL)
    expect(refusal).not.toContain('not-the-access-code')
    await expectAccessible(page, 'MISA setup refused')
    await screenshot(page, 'misa-refused')
    const stored = (await ferry.api('GET', '/v1/connections')).items as { connector: string }[]
    expect(stored.map((c) => c.connector)).toEqual(['business-central'])

    // Corrected (secrets are never filled back in: both are typed again), checked, saved.
    await user.fill(page.getByLabel('appId'), config.appId!, wrong)
    await user.fill(page.getByLabel('accessCode'), config.accessCode!)
    await user.click(page.getByRole('button', { name: 'Save and check' }))
    // Then the company or branch vouchers are booked in, from AMIS's own list (departments are not).
    await page.waitForURL(/\/console\/integrations\/[^/]+\/choose$/)
    const branches = page.getByLabel('Company or branch (vouchers are booked there)')
    expect(await branches.locator('option').allTextContents()).toEqual([
      'CRONUS — CRONUS Việt Nam JSC',
      'CN-HN — Chi nhánh Hà Nội',
    ])
    await expectAccessible(page, 'MISA branch pick')
    await screenshot(page, 'misa-branch')
    // Left here, the card would say the connection is not finished and link back to this pick.
    const card = await (await page.request.get(`${ferry.url}/console/integrations`)).text()
    expect(card).toContain('Not finished: a setting is still to pick')
    expect(card).toMatch(/href="\/console\/integrations\/[^"]+\/choose"[^>]*>Pick branchId to finish</)
    await user.select(branches, 'CRONUS — CRONUS Việt Nam JSC')
    await user.click(page.getByRole('button', { name: 'Continue' }))
    await page.waitForURL(/\/console\/integrations\?notice=/)
    expect(await misaCard.getByText('Connected', { exact: true }).count()).toBe(1)
    const connections = (await ferry.api('GET', '/v1/connections')).items as {
      id: string
      connector: string
      config: Record<string, unknown>
    }[]
    const misaConnection = connections.find((c) => c.connector === 'misa')!
    expect(misaConnection.config.branchId).toBe(config.branchId)
    // MISA's administrator registers Ferry's callback URL with MISA, out of band (misa-api.md §1.2).
    await misa.control('POST', 'callback-url', {
      url: `${ferry.url}/hooks/${ferry.tenantId}/${misaConnection.id}`,
    })

    // Enable bc-misa, confirm what Ferry proposed, turn the flows on.
    await user.click(page.getByRole('link', { name: 'Recipes' }))
    const recipe = page.getByRole('region', { name: /Business Central ↔ MISA AMIS/ })
    await user.click(recipe.getByRole('button', { name: 'Enable recipe' }))
    await page.waitForURL(/\/console\/recipes\?notice=/)
    // The clerk confirms the vendors now and leaves the accounts for later: an invoice on an account
    // whose row is only proposed fails with lookup_missing (records use confirmed rows only).
    await user.click(page.getByRole('link', { name: 'Map masters' }))
    const vendors = page.getByRole('region', { name: /BC vendors to MISA vendors/ })
    await user.click(vendors.getByRole('button', { name: 'Confirm all proposed' }))
    await page.waitForURL(/notice=masters.confirmedNotice/)
    const accounts = (await ferry.api('GET', '/v1/mapping-tables/bc-account-to-vas/rows')).items as {
      key: string
      state: string
      proposedValue: unknown
    }[]
    // (one BC lets an invoice line post to directly)
    const direct = new Set(
      ((await bc.control('GET', 'state/accounts')) as { number: string; directPosting: boolean }[])
        .filter((a) => a.directPosting)
        .map((a) => a.number),
    )
    // (a proposal with a shorter value inside it, as VAS summary accounts are: 1121 under 112)
    const open = accounts.find(
      (r) => r.state === 'proposed' && direct.has(r.key) && String(r.proposedValue).length > 3,
    )
    expect(open, `an open row in ${JSON.stringify(accounts.map((r) => [r.key, r.state]))}`).toBeDefined()
    const account = open!.key
    const today = new Date().toISOString().slice(0, 10)
    const seeded = await bc.control('POST', 'seed', {
      purchaseInvoices: [
        {
          vendorNumber: 'V0010',
          vendorInvoiceNumber: 'J2-MISSING-1',
          invoiceDate: today,
          postingDate: today,
          post: true,
          purchaseInvoiceLines: [
            {
              lineType: 'Account',
              lineObjectNumber: account,
              description: 'Journey 2',
              quantity: 1,
              unitCost: 900_000,
              taxCode: 'VAT10',
            },
          ],
        },
      ],
    })
    const { purchaseInvoices } = seeded
    if (!purchaseInvoices) throw new Error(`seed: ${JSON.stringify(seeded)} for ${account}`)
    const invoiceId = purchaseInvoices[0] as string
    await user.click(page.getByRole('link', { name: 'Recipes' }))
    await user.click(recipe.getByRole('button', { name: 'Turn on every flow' }))
    await page.waitForURL(/notice=recipes.flowsOn/)
    const flows = (await ferry.api('GET', '/v1/flows')).items as { id: string; name: string }[]
    const invoiceFlow = flows.find((f) => f.name === 'bc-misa-bc-invoices-to-misa')!
    const invoices = recipe.getByRole('row', { name: /bc-invoices-to-misa/ })
    await user.click(invoices.getByRole('button', { name: 'Run now' }))
    await page.waitForURL(/notice=recipes.runQueued/)
    const record = await waitFor(
      'the invoice on the open account to fail',
      async () =>
        ferry.db
          .selectFrom('records')
          .select(['id', 'state', 'error'])
          .where('flowId', '=', invoiceFlow.id)
          .where('sourceKey', '=', invoiceId)
          .where('state', '=', 'failed')
          .executeTakeFirst(),
      180_000,
    )
    expect(record.error).toMatchObject({ code: 'lookup_missing' })

    // The exception names the missing row and links straight to it.
    await user.click(page.getByRole('link', { name: 'Exceptions' }))
    const group = page.getByRole('region', {
      name: `1 record: ${account} has no confirmed value in bc-account-to-vas`,
    })
    // The engine's exact message stays under the words.
    expect(await group.locator('p.exact').textContent()).toContain(
      `key "${account}" is not in lookup table "vasAccount"`,
    )
    await expectAccessible(page, 'exceptions (a missing mapping row)')
    await screenshot(page, 'exceptions-lookup-missing')
    await user.click(group.getByRole('link', { name: `Map ${account} in bc-account-to-vas` }))
    await page.waitForURL(/\/console\/masters\?table=bc-account-to-vas&key=[^&#]+#fix-row$/)
    const fix = page.getByRole('region', {
      name: `Map ${account} in BC G/L accounts to VAS accounts in MISA`,
    })
    expect(await fix.textContent()).toContain(
      `Records that use ${account} stopped because this row is not confirmed yet (now: Proposed`,
    )
    // The row is also marked in its table.
    expect(await page.locator('tr.focus td').first().textContent()).toBe(account)
    await expectAccessible(page, 'map masters (the row to fix)')
    await screenshot(page, 'masters-fix-row')
    // The picker starts on Ferry's proposal, and offers only accounts MISA posts to: the detail
    // account (1121) but not its summary (112), which MISA refuses on a voucher line.
    const picker = fix.getByLabel(`Value for ${account}`)
    const chosen = String(open!.proposedValue)
    expect(await picker.inputValue()).toBe(chosen)
    const offered = await picker.locator('option').evaluateAll((els: any[]) => els.map((o) => o.value))
    expect(offered).toContain(chosen)
    expect(offered).not.toContain(chosen.slice(0, 3))
    // (the sandbox tenant's chart is the TT99 preset: none of its summary accounts is offered)
    const summaries = chartPreset('TT99').filter((a) => !a.isLeaf)
    expect(summaries.length).toBeGreaterThan(0)
    expect(offered.filter((v: string) => summaries.some((a) => a.number === v))).toEqual([])
    const search = fix.getByLabel(`Search the values for ${account}`)
    const searching = { detour: 'searching the picker (it starts on the proposal)' }
    await user.fill(search, chosen.slice(0, 3), searching)
    expect(await picker.inputValue()).toBe(chosen)
    await user.fill(search, chosen, searching)
    expect(await picker.inputValue()).toBe(chosen)
    await user.click(fix.getByRole('button', { name: 'Save and go back to the exceptions' }))
    await page.waitForURL(/\/console\/exceptions\?notice=masters.fixedNotice/)
    const rows = (await ferry.api('GET', '/v1/mapping-tables/bc-account-to-vas/rows')).items as any[]
    expect(rows.find((r) => r.key === account)).toMatchObject({ state: 'confirmed', confirmedValue: chosen })

    // A key with no row at all gets the same form ("no row for it yet"); an unknown table is named.
    await page.goto(`${ferry.url}/console/masters?table=bc-account-to-vas&key=9999#fix-row`)
    expect(await page.locator('#fix-row').textContent()).toContain('has no row for it yet')
    await expectAccessible(page, 'map masters (a key with no row)')
    await page.goto(`${ferry.url}/console/masters?table=no-such-table&key=1`)
    expect(await page.getByRole('alert').textContent()).toBe(
      'No enabled recipe has a mapping table named no-such-table.',
    )
    await page.goto(`${ferry.url}/console/exceptions`)

    // Retry: the invoice goes to MISA with the account just mapped, and MISA accepts it.
    await user.click(group.getByRole('button', { name: 'Retry all 1 in this group' }))
    await page.waitForURL(/notice=exceptions\.retryStarted/)
    await page.locator('section[data-live][data-done="true"]').waitFor({ timeout: 180_000 })
    const progress = page.getByRole('region', {
      name: 'Retry done: 1 delivered, 0 failed again (1 of 1 settled)',
    })
    expect(await progress.locator('[data-count="delivered"]').textContent()).toBe('1')
    await expectAccessible(page, 'exceptions (retried)')
    const proposals = (await misa.control('GET', 'proposals')) as {
      orgRefid: string
      status: string
      payload: { detail: { debit_account: string }[] }
    }[]
    const vouchers = proposals.filter((p) => p.orgRefid === invoiceId)
    expect(vouchers.map((v) => v.status)).toEqual(['accepted'])
    expect(vouchers[0]!.payload.detail.map((d) => d.debit_account)).toEqual([chosen])
    // The same pages in Vietnamese: the row to fix and a missing-row group, in words.
    await page.goto(`${ferry.url}/console/language?to=vi&back=/console/exceptions`)
    // (the demo's other BC invoices still wait for their accounts: the clerk left them for later)
    const groupsVi = (await page.locator('section.exception h2').allTextContents()).join('\n')
    expect(groupsVi).toContain('chưa có giá trị đã xác nhận trong bc-account-to-vas')
    await expectAccessible(page, 'exceptions (vi)')
    await page.goto(`${ferry.url}/console/masters?table=bc-account-to-vas&key=9999#fix-row`)
    expect(await page.locator('#fix-row h2').textContent()).toBe(
      'Ánh xạ 9999 trong BC G/L accounts to VAS accounts in MISA',
    )
    await expectAccessible(page, 'map masters, the row to fix (vi)')
    expect(problems().filter((p) => !/\/console\/live\/.*ERR_ABORTED/.test(p))).toEqual([])
    console.log(user.report('journey 2, from the MISA card to the retried invoice delivered'))
  })
})
