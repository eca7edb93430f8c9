import { mstCheckDigit } from '../../../../core/vietnam/mst.ts'
import { createVendor } from '../rules/vendors.ts'
import type { Company, SandboxState } from '../state/sandbox-state.ts'

const CITIES = ['Hồ Chí Minh', 'Hà Nội', 'Đà Nẵng', 'Hải Phòng', 'Cần Thơ', 'Bình Dương']

/** A 10-digit MST whose last digit is the check digit of the first nine (numbers without one are skipped). */
function mstFor(serial: number): string {
  for (let n = serial; ; n++) {
    const body = String(100_000_000 + (n % 900_000_000))
    const check = mstCheckDigit(body)
    if (check !== null) return `${body}${check}`
  }
}

/**
 * Creates `count` vendors with generated names, addresses and MSTs, through the same path as a
 * POST (numbers from the V series, lastModifiedDateTime stamped, webhooks told), for backfill
 * benchmarks that need more vendors than the demo seed has. Returns the first and last number.
 */
export function generateVendors(
  state: SandboxState,
  company: Company,
  count: number,
): { count: number; first?: string; last?: string } {
  let first: string | undefined
  let last: string | undefined
  const start = company.tables.vendors!.rows.size
  for (let i = 0; i < count; i++) {
    const serial = start + i + 1
    const vendor = createVendor(state, company, {
      displayName: `Công ty TNHH Nhà Cung Cấp ${serial}`,
      addressLine1: `${(serial % 400) + 1} Đường Số ${(serial % 37) + 1}`,
      city: CITIES[serial % CITIES.length],
      country: 'VN',
      taxRegistrationNumber: mstFor(serial * 7919),
      blocked: serial % 50 === 0 ? 'Payment' : ' ',
    })
    first ??= vendor.data.number as string
    last = vendor.data.number as string
  }
  return { count, first, last }
}
