/**
 * The asynchronous side of AMIS: queued save / save_dictionary / delete requests are validated,
 * applied to proposals and master data, and answered with one signed callback per request.
 */

import type { Job, Proposal, ResultRow, SandboxState, Tenant } from '../state/sandbox-state.ts'
import { deliverCallback } from '../webhooks/deliver-callback.ts'
import { applyDictionaryItem } from './apply-dictionary-item.ts'
import { generateProposal } from './generate-proposal.ts'
import { validateVoucher } from './validate-voucher.ts'

function voucherRow(
  orgRefid: string,
  voucherType: number,
  sessionId: string,
  error?: { code: string; message: string },
): ResultRow {
  return {
    org_refid: orgRefid,
    success: !error,
    error_code: error?.code ?? null,
    error_message: error?.message ?? '',
    session_id: sessionId,
    error_call_back_message: null,
    voucher_type: voucherType,
  }
}

function applyVoucher(
  state: SandboxState,
  tenant: Tenant,
  voucher: Record<string, unknown>,
  sessionId: string,
): ResultRow {
  const orgRefid = String(voucher.org_refid ?? '')
  const voucherType = Number(voucher.voucher_type)
  const existing = tenant.proposals.get(orgRefid)
  if (existing?.status === 'generated') {
    return voucherRow(orgRefid, voucherType, sessionId, {
      code: 'IsCreatedVoucher',
      message: 'Đề nghị đã được sinh chứng từ, không thể cập nhật',
    })
  }
  const problem = validateVoucher(tenant, state.settings, voucher)
  const proposal: Proposal = {
    orgRefid,
    voucherType,
    payload: voucher,
    status: problem ? 'failed' : 'accepted',
    error: problem ?? undefined,
    sessionId,
    receivedAt: state.now().toISOString(),
  }
  const duplicate = state.settings.resendMode === 'duplicate' && existing && existing.status !== 'deleted'
  const key = duplicate ? `${orgRefid}#${tenant.proposals.size + 1}` : orgRefid
  if (!duplicate) tenant.proposals.delete(orgRefid)
  tenant.proposals.set(key, proposal)
  if (!problem && state.settings.autoGenerate) generateProposal(tenant, proposal)
  return voucherRow(orgRefid, voucherType, sessionId, problem ?? undefined)
}

function deleteVoucher(tenant: Tenant, ref: Record<string, unknown>, sessionId: string): ResultRow {
  const orgRefid = String(ref.org_refid ?? '')
  const voucherType = Number(ref.voucher_type)
  const existing = tenant.proposals.get(orgRefid)
  if (!existing || existing.status === 'deleted' || existing.voucherType !== voucherType) {
    return voucherRow(orgRefid, voucherType, sessionId, {
      code: 'VoucherNotFound',
      message: 'Không tìm thấy đề nghị chứng từ',
    })
  }
  if (existing.status === 'generated') {
    return voucherRow(orgRefid, voucherType, sessionId, {
      code: 'IsCreatedVoucher',
      message: 'Đề nghị đã được sinh chứng từ, không thể xóa',
    })
  }
  existing.status = 'deleted'
  return voucherRow(orgRefid, voucherType, sessionId)
}

async function runJob(state: SandboxState, send: typeof fetch, job: Job): Promise<void> {
  const now = state.now()
  const rows = job.dictionary.map((item) =>
    applyDictionaryItem(job.tenant, state.settings, item, job.sessionId, now),
  )
  if (job.kind === 'delete') {
    rows.push(...job.vouchers.map((ref) => deleteVoucher(job.tenant, ref, job.sessionId)))
    await deliverCallback(state, send, job.tenant, 2, rows)
    return
  }
  rows.push(...job.vouchers.map((v) => applyVoucher(state, job.tenant, v, job.sessionId)))
  await deliverCallback(state, send, job.tenant, 1, rows)
}

/** Drains the queue in arrival order; returns how many requests were processed. */
export async function processQueue(state: SandboxState, send: typeof fetch): Promise<number> {
  let processed = 0
  while (state.queue.length > 0) {
    const job = state.queue.shift()!
    await runJob(state, send, job)
    processed += 1
  }
  return processed
}
