import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { misa } from './index.ts'
import { purchaseVoucherFixture } from './test-fixtures.ts'

describeConnectorContract('misa', async () => {
  const { sandbox, ctx, log, withConfig } = await startSandboxContext(misa)
  const config = ctx.config
  const control = async (path: string, body: unknown = {}): Promise<any> =>
    (
      await sandbox.fetch(
        new Request(`${config.baseUrl}/__sandbox/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      )
    ).json()
  await control('settings', { autoProcess: false, callbackRetryDelayMs: 0 })
  // A voucher whose VAT does not match its lines: MISA accepts the proposal, then refuses it.
  const wrongVat = () => {
    const voucher = purchaseVoucherFixture(config.branchId!)
    ;(voucher.detail as Record<string, unknown>[])[0]!.vat_amount = 70_000
    return voucher
  }
  return {
    connector: misa,
    ctx,
    badSecretCtx: withConfig({ accessCode: 'wrong-access-code' }),
    secrets: [config.accessCode, config.appId],
    logLines: log.lines,
    read: { stream: 'accountObjects', pageSize: 3, minRecords: 8 },
    write: {
      stream: 'purchaseVouchers',
      operation: 'create',
      record: () => purchaseVoucherFixture(config.branchId!),
    },
    // A voucher of more than 500 lines is refused before it is sent; the others are proposed.
    writeMany: {
      stream: 'purchaseVouchers',
      operation: 'create',
      good: () => purchaseVoucherFixture(config.branchId!),
      bad: () => {
        const line = (purchaseVoucherFixture(config.branchId!).detail as unknown[])[0]
        return purchaseVoucherFixture(config.branchId!, { detail: Array.from({ length: 501 }, () => line) })
      },
    },
    outcome: {
      stream: 'purchaseVouchers',
      operation: 'create',
      record: wrongVat,
      settle: () => control('process'),
    },
    skip: {
      acknowledge: 'MISA is only a target in Ferry’s recipes: it has no acknowledge operation',
      'is-done': 'MISA streams have no actions (a proposal is the whole write)',
    },
    forgedWebhook: () => {
      const data = JSON.stringify([
        {
          org_refid: 'x',
          success: true,
          error_code: null,
          error_message: '',
          session_id: 's',
          voucher_type: 18,
        },
      ])
      const body = {
        success: true,
        signature: 'a'.repeat(64),
        data_type: 1,
        org_company_code: config.orgCompanyCode,
        app_id: config.appId,
        data,
      }
      return {
        method: 'POST',
        url: 'http://ferry.test/hooks/t/misa',
        headers: { 'content-type': 'application/json' },
        body: new TextEncoder().encode(JSON.stringify(body)),
      }
    },
    close: () => sandbox.close(),
  }
})
