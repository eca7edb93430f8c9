/**
 * Vietnamese charts of accounts (VAS): Circular 99/2025 (all enterprises, fiscal years from 2026),
 * Circular 200/2014 (replaced by TT99) and Circular 133/2016 (SMEs, still optional). The presets hold
 * the accounts an accounts-payable integration meets, not the full charts; tenants add sub-accounts.
 */

/** A chart-of-accounts regime. */
export type ChartRegime = 'TT99' | 'TT200' | 'TT133'

/** One account of a preset. */
export interface ChartAccount {
  number: string
  name: string
  /** True when no other account of the preset extends this number (only leaves take postings). */
  isLeaf: boolean
}

type Row = [number: string, name: string, only?: ChartRegime[]]

// Sub-accounts follow the circulars where AP postings need them; 331 and 627 are kept as leaves
// because many tenants post to them directly.
const ROWS: Row[] = [
  ['111', 'Tiền mặt'],
  ['1111', 'Tiền Việt Nam'],
  ['1112', 'Ngoại tệ'],
  ['112', 'Tiền gửi ngân hàng'],
  ['1121', 'Tiền Việt Nam'],
  ['1122', 'Ngoại tệ'],
  ['131', 'Phải thu của khách hàng'],
  ['133', 'Thuế GTGT được khấu trừ'],
  ['1331', 'Thuế GTGT được khấu trừ của hàng hóa, dịch vụ'],
  ['1332', 'Thuế GTGT được khấu trừ của TSCĐ'],
  ['141', 'Tạm ứng'],
  ['152', 'Nguyên liệu, vật liệu'],
  ['153', 'Công cụ, dụng cụ'],
  ['154', 'Chi phí sản xuất, kinh doanh dở dang'],
  ['156', 'Hàng hóa'],
  ['1561', 'Giá mua hàng hóa'],
  ['1562', 'Chi phí thu mua hàng hóa'],
  ['211', 'Tài sản cố định hữu hình'],
  ['213', 'Tài sản cố định vô hình'],
  ['214', 'Hao mòn tài sản cố định'],
  ['215', 'Tài sản sinh học', ['TT99']],
  ['242', 'Chi phí trả trước'],
  ['331', 'Phải trả cho người bán'],
  ['332', 'Phải trả cổ tức, lợi nhuận', ['TT99']],
  ['333', 'Thuế và các khoản phải nộp Nhà nước'],
  ['3331', 'Thuế giá trị gia tăng phải nộp'],
  ['334', 'Phải trả người lao động'],
  ['335', 'Chi phí phải trả'],
  ['338', 'Phải trả, phải nộp khác'],
  ['411', 'Vốn đầu tư của chủ sở hữu'],
  ['4111', 'Vốn góp của chủ sở hữu'],
  ['4118', 'Vốn khác'],
  ['421', 'Lợi nhuận sau thuế chưa phân phối'],
  ['441', 'Nguồn vốn đầu tư xây dựng cơ bản', ['TT200']],
  ['466', 'Nguồn kinh phí đã hình thành TSCĐ', ['TT200']],
  ['511', 'Doanh thu bán hàng và cung cấp dịch vụ'],
  ['5111', 'Doanh thu bán hàng hóa'],
  ['5113', 'Doanh thu cung cấp dịch vụ'],
  ['515', 'Doanh thu hoạt động tài chính'],
  ['521', 'Các khoản giảm trừ doanh thu', ['TT99', 'TT200']],
  ['621', 'Chi phí nguyên liệu, vật liệu trực tiếp', ['TT99', 'TT200']],
  ['622', 'Chi phí nhân công trực tiếp', ['TT99', 'TT200']],
  ['627', 'Chi phí sản xuất chung', ['TT99', 'TT200']],
  ['632', 'Giá vốn hàng bán'],
  ['635', 'Chi phí tài chính'],
  ['641', 'Chi phí bán hàng', ['TT99', 'TT200']],
  ['6411', 'Chi phí nhân viên', ['TT99', 'TT200']],
  ['6417', 'Chi phí dịch vụ mua ngoài', ['TT99', 'TT200']],
  ['6418', 'Chi phí bằng tiền khác', ['TT99', 'TT200']],
  ['642', 'Chi phí quản lý doanh nghiệp'],
  ['6421', 'Chi phí nhân viên quản lý', ['TT99', 'TT200']],
  ['6421', 'Chi phí bán hàng', ['TT133']],
  ['6422', 'Chi phí vật liệu quản lý', ['TT99', 'TT200']],
  ['6422', 'Chi phí quản lý doanh nghiệp', ['TT133']],
  ['6427', 'Chi phí dịch vụ mua ngoài', ['TT99', 'TT200']],
  ['6428', 'Chi phí bằng tiền khác', ['TT99', 'TT200']],
  ['711', 'Thu nhập khác'],
  ['811', 'Chi phí khác'],
  ['821', 'Chi phí thuế thu nhập doanh nghiệp'],
  ['911', 'Xác định kết quả kinh doanh'],
]

const cache = new Map<ChartRegime, readonly ChartAccount[]>()

function assertRegime(regime: string): asserts regime is ChartRegime {
  if (regime !== 'TT99' && regime !== 'TT200' && regime !== 'TT133') {
    throw new Error(`unknown chart regime "${regime}": use TT99, TT200 or TT133`)
  }
}

/** The preset accounts of a regime, with leaf flags. */
export function chartPreset(regime: ChartRegime): readonly ChartAccount[] {
  assertRegime(regime)
  const hit = cache.get(regime)
  if (hit) return hit
  const rows = ROWS.filter(([, , only]) => !only || only.includes(regime))
  const numbers = rows.map(([n]) => n)
  const accounts = rows.map(([number, name]) => ({
    number,
    name,
    isLeaf: !numbers.some((other) => other !== number && other.startsWith(number)),
  }))
  cache.set(regime, accounts)
  return accounts
}

/** True when the account is in the regime's preset and takes postings (is a leaf). */
export function isPostingAccount(regime: ChartRegime, account: string): boolean {
  return chartPreset(regime).some((a) => a.number === String(account) && a.isLeaf)
}

/** The accounts a purchase-to-pay flow posts to, per regime. */
export interface ApAccounts {
  payable: string
  inputVat: string
  inputVatFixedAssets: string
  goods: string
  materials: string
  tools: string
  prepaid: string
  sellingExpense: string
  adminExpense: string
  outsideServices: string
  cash: string
  bank: string
}

/** The common AP accounts of a regime (TT133 books both selling and admin costs under 642x). */
export function apAccounts(regime: ChartRegime): ApAccounts {
  assertRegime(regime)
  const smes = regime === 'TT133'
  return {
    payable: '331',
    inputVat: '1331',
    inputVatFixedAssets: '1332',
    goods: '1561',
    materials: '152',
    tools: '153',
    prepaid: '242',
    sellingExpense: smes ? '6421' : '6417',
    adminExpense: smes ? '6422' : '6428',
    outsideServices: smes ? '6422' : '6427',
    cash: '1111',
    bank: '1121',
  }
}

/** The regime a fiscal year starting on `fiscalYearStart` (YYYY-MM-DD) defaults to: TT99 from 2026. */
export function defaultChartRegime(fiscalYearStart: string): ChartRegime {
  if (!/^\d{4}-\d{2}-\d{2}/.test(fiscalYearStart))
    throw new Error(`fiscal year start must be YYYY-MM-DD, got "${fiscalYearStart}"`)
  return fiscalYearStart.slice(0, 10) >= '2026-01-01' ? 'TT99' : 'TT200'
}
