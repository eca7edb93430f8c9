import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUEUES } from '../../runtime/queue/queues.ts'
import { waitFor } from '../support/wait-for.ts'
import { expectAccessible, launchBrowser, openPage } from './browser.ts'
import { startFerry, type TestFerry } from './start-ferry.ts'

/** BC purchase invoices announced by webhook (what the bc-misa recipe listens to). */
const manifest = {
  version: 1,
  name: 'bc-invoices-watch',
  connections: { bc: 'business-central', misa: 'misa' },
  source: { connection: 'bc', stream: 'purchaseInvoices' },
  trigger: { webhook: true },
  when: 'false',
  map: "{ 'org_refid': id }",
  target: { connection: 'misa', stream: 'serviceVouchers', operation: 'upsert' },
}

describe('journey 3: an expired BC subscription is renewed from Diagnostics and notifications arrive again', () => {
  let ferry: TestFerry
  let browser: Browser
  let connectionId = ''

  beforeAll(async () => {
    ferry = await startFerry('browser-journey-3', { timeZone: 'Asia/Ho_Chi_Minh' })
    browser = await launchBrowser()
    const bc = await ferry.api('POST', '/v1/connections', {
      name: 'bc',
      connector: 'business-central',
      config: ferry.sandboxes.bc.sandbox.connectionConfig(),
    })
    connectionId = bc.id
    const misa = await ferry.api('POST', '/v1/connections', {
      name: 'misa',
      connector: 'misa',
      config: ferry.sandboxes.misa.sandbox.connectionConfig(),
    })
    const saved = await ferry.api('POST', '/v1/flows', {
      text: JSON.stringify(manifest),
      bindings: { bc: bc.id, misa: misa.id },
    })
    await ferry.api('POST', `/v1/flows/${saved.flow.id}/enable`)
    // The upkeep (each minute) subscribes enabled webhook flows; run it now instead of waiting.
    await ferry.service.boss.send(QUEUES.upkeep, {})
    await waitFor(
      'the subscription',
      async () =>
        (await ferry.db.selectFrom('subscriptions').select('state').executeTakeFirst())?.state === 'active',
      60_000,
    )
  })
  afterAll(async () => {
    await browser?.close()
    await ferry?.stop()
  })

  const inboxCount = async () =>
    Number(
      (
        await ferry.db
          .selectFrom('webhookInbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('connectionId', '=', connectionId)
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('shows the subscription expired, renews it with one click, and the next BC change arrives', async () => {
    // Three days pass: BC drops the subscription, and Ferry's copy says it expired an hour ago.
    await ferry.sandboxes.bc.control('POST', 'subscriptions/expire')
    await ferry.db
      .updateTable('subscriptions')
      .set({ expiresAt: new Date(Date.now() - 3_600_000) })
      .execute()
    expect(await ferry.sandboxes.bc.control('GET', 'state/subscriptions')).toEqual([])
    const before = await inboxCount()
    await ferry.sandboxes.bc.control('POST', 'produce', { count: 1 })
    await ferry.sandboxes.bc.control('POST', 'webhooks/flush')
    expect(await inboxCount()).toBe(before)

    const { page, context, problems } = await openPage(browser)
    await page.goto(await ferry.signInLink())
    await page.getByRole('link', { name: 'Diagnostics' }).click()
    await page.waitForURL(/\/console\/diagnostics$/)
    const row = page.getByRole('row', { name: /purchaseInvoices/ })
    expect(await row.textContent()).toContain('Expired')
    await expectAccessible(page, 'diagnostics, expired')

    await row.getByRole('button', { name: 'Renew the purchaseInvoices subscription' }).click()
    await page.waitForURL(/notice=diagnostics\.renewed/)
    expect(await page.getByRole('status').first().textContent()).toContain('The subscription was renewed.')
    expect(await page.getByRole('row', { name: /purchaseInvoices/ }).textContent()).not.toContain('Expired')
    const remote = await ferry.sandboxes.bc.control('GET', 'state/subscriptions')
    expect(remote).toHaveLength(1)
    expect(new Date(remote[0].expirationDateTime).getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000)

    // Notifications arrive again: a new vendor in BC reaches Ferry's inbox, and Diagnostics says when.
    await ferry.sandboxes.bc.control('POST', 'produce', { count: 1 })
    await ferry.sandboxes.bc.control('POST', 'webhooks/flush')
    await waitFor('a notification', async () => (await inboxCount()) > before, 30_000)
    await page.reload()
    const lastNotification = await page
      .getByRole('row', { name: /purchaseInvoices/ })
      .locator('td')
      .nth(3)
      .textContent()
    expect(lastNotification).not.toBe('never')
    expect(lastNotification).toMatch(/\d/)
    await expectAccessible(page, 'diagnostics, renewed')
    expect(problems()).toEqual([])
    await context.close()
  })
})
