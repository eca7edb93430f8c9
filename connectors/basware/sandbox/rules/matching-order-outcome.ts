/**
 * What P2P makes of an imported matching order header or line (the asynchronous data-validation
 * stage): Basware's preconditions are that the supplier exists in P2P before its orders, and the
 * order header before its lines.
 */
import { demoCompany } from '../../../../core/demo/demo-company.ts'
import type { SandboxCore } from '../state/sandbox-core.ts'
import type { LoggedItem } from './request-log.ts'

type Outcome = Pick<LoggedItem, 'status' | 'errors'>

const SUCCESS: Outcome = { status: 'Success', errors: [] }

function dataError(message: string): Outcome {
  return { status: 'Error', errors: [{ type: 'Error', message, category: 'DataValidation' }] }
}

/** True when P2P knows the supplier: imported through the vendors API or part of the seeded P2P. */
function supplierKnown(core: SandboxCore, code: string): boolean {
  return (
    demoCompany.vendors.some((v) => v.code === code) ||
    core.masterData.snapshot('vendors').some((v) => v.vendorCode === code)
  )
}

/** The outcome of one changed order header. */
export function orderOutcome(core: SandboxCore, order: Record<string, unknown>): Outcome {
  const injected = core.masterData.injectedErrors.get(String(order.externalCode))
  if (injected) return dataError(injected)
  const supplier = String(order.supplierCode)
  if (!supplierKnown(core, supplier))
    return dataError(`Supplier '${supplier}' does not exist in P2P; import the vendor before its orders`)
  return SUCCESS
}

/** The outcome of one changed order line. */
export function orderLineOutcome(core: SandboxCore, line: Record<string, unknown>): Outcome {
  const injected = core.masterData.injectedErrors.get(String(line.externalCode))
  if (injected) return dataError(injected)
  const header = String(line.orderExternalCode)
  if (!core.masterData.collection('matchingOrders').has(header))
    return dataError(`Order header '${header}' has not been imported; post it to matchingOrders first`)
  const quantity = Number(line.quantity)
  if (!(quantity > 0)) return dataError('The order line quantity must be higher than zero')
  if (line.matchingMode === 'Blanket' && line.isReceiptRequired === true)
    return dataError("isReceiptRequired cannot be true with matchingMode 'Blanket'")
  if (line.matchingMode === 'Service' && line.isReceiptRequired !== true)
    return dataError("isReceiptRequired must be true with matchingMode 'Service'")
  return SUCCESS
}
