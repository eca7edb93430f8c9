/**
 * The demo company every sandbox seeds: one Vietnamese subsidiary seen from Business Central,
 * Basware and MISA, with the same vendors (by MST), accounts and dimensions on each side, so the
 * prebuilt recipes match records across systems out of the box. Pure data; no I/O.
 */

/** A supplier as all three systems know it. */
export interface DemoVendor {
  /** BC vendor number, Basware supplier code and MISA account object code (one code space). */
  code: string
  name: string
  /** MST: 10 digits with a valid mod-11 check digit, or 13/14 with a branch suffix. */
  taxCode: string
  currency: 'VND' | 'USD'
  address: string
  city: string
  paymentTermsCode: string
  blocked?: boolean
}

/** A G/L account: the BC number and the VAS (Circular 99/200) account MISA uses for it. */
export interface DemoAccount {
  bcNumber: string
  name: string
  vasNumber: string
  category: 'Assets' | 'Liabilities' | 'Equity' | 'Income' | 'Expense'
}

export const demoCompany = {
  name: 'CRONUS Việt Nam JSC',
  taxCode: '0314409058',
  currency: 'VND',
  vendors: [
    {
      code: 'V0010',
      name: 'Công ty TNHH Thép Sài Gòn',
      taxCode: '0100047516',
      currency: 'VND',
      address: '12 Nguyễn Huệ',
      city: 'Hồ Chí Minh',
      paymentTermsCode: '30 DAYS',
    },
    {
      code: 'V0020',
      name: 'Công ty CP Bao Bì Hà Nội',
      taxCode: '0100233488',
      currency: 'VND',
      address: '45 Láng Hạ',
      city: 'Hà Nội',
      paymentTermsCode: '30 DAYS',
    },
    {
      code: 'V0030',
      name: 'Công ty TNHH Vận Tải Đông Á',
      taxCode: '0100109106',
      currency: 'VND',
      address: '8 Trần Phú',
      city: 'Đà Nẵng',
      paymentTermsCode: '14 DAYS',
    },
    {
      code: 'V0040',
      name: 'Công ty CP Phần Mềm Sao Mai',
      taxCode: '0301175691',
      currency: 'VND',
      address: '99 Cách Mạng Tháng 8',
      city: 'Hồ Chí Minh',
      paymentTermsCode: '30 DAYS',
    },
    {
      code: 'V0050',
      name: 'Công ty TNHH Điện Lạnh Miền Trung',
      taxCode: '0401234566',
      currency: 'VND',
      address: '21 Lê Lợi',
      city: 'Huế',
      paymentTermsCode: 'CM',
    },
    {
      code: 'V0060',
      name: 'Pacific Components Ltd (Chi nhánh HCM)',
      taxCode: '0312121218-001',
      currency: 'USD',
      address: '3 Tôn Đức Thắng',
      city: 'Hồ Chí Minh',
      paymentTermsCode: '30 DAYS',
    },
    {
      code: 'V0070',
      name: 'Công ty CP Văn Phòng Phẩm Hải Phòng',
      taxCode: '0201987650',
      currency: 'VND',
      address: '7 Lạch Tray',
      city: 'Hải Phòng',
      paymentTermsCode: '14 DAYS',
    },
    {
      code: 'V0080',
      name: 'Công ty TNHH Tư Vấn Thuế Ánh Dương',
      taxCode: '0101553321',
      currency: 'VND',
      address: '15 Kim Mã',
      city: 'Hà Nội',
      paymentTermsCode: '30 DAYS',
      blocked: true,
    },
  ] satisfies DemoVendor[],
  accounts: [
    { bcNumber: '1331', name: 'Thuế GTGT được khấu trừ', vasNumber: '1331', category: 'Assets' },
    { bcNumber: '1521', name: 'Nguyên liệu, vật liệu', vasNumber: '152', category: 'Assets' },
    { bcNumber: '1561', name: 'Hàng hóa', vasNumber: '1561', category: 'Assets' },
    { bcNumber: '2421', name: 'Chi phí trả trước', vasNumber: '242', category: 'Assets' },
    { bcNumber: '3311', name: 'Phải trả người bán', vasNumber: '331', category: 'Liabilities' },
    { bcNumber: '6271', name: 'Chi phí sản xuất chung', vasNumber: '627', category: 'Expense' },
    { bcNumber: '6411', name: 'Chi phí bán hàng', vasNumber: '6411', category: 'Expense' },
    { bcNumber: '6422', name: 'Chi phí quản lý doanh nghiệp', vasNumber: '6422', category: 'Expense' },
    { bcNumber: '6427', name: 'Chi phí dịch vụ mua ngoài', vasNumber: '6427', category: 'Expense' },
    { bcNumber: '1121', name: 'Tiền gửi ngân hàng VND', vasNumber: '1121', category: 'Assets' },
  ] satisfies DemoAccount[],
  dimensions: {
    DEPARTMENT: [
      { code: 'ADM', name: 'Hành chính' },
      { code: 'SALES', name: 'Kinh doanh' },
      { code: 'PROD', name: 'Sản xuất' },
      { code: 'IT', name: 'Công nghệ thông tin' },
    ],
    PROJECT: [
      { code: 'P-HCM01', name: 'Nhà máy Bình Dương' },
      { code: 'P-HN02', name: 'Văn phòng Hà Nội' },
      { code: 'P-DN03', name: 'Kho Đà Nẵng' },
    ],
  },
  /** VAT rates in use (percent); BC tax group codes are `VAT<rate>`. */
  vatRates: [10, 8, 5, 0],
  paymentTerms: [
    { code: '14 DAYS', days: 14, name: 'Net 14 days' },
    { code: '30 DAYS', days: 30, name: 'Net 30 days' },
    { code: 'CM', days: 0, name: 'Current month' },
  ],
  /** USD → VND rate the demo uses for foreign-currency invoices. */
  usdToVnd: 25_400,
} as const
