import type { MessageKey } from './messages-en.ts'

/** The console's Vietnamese messages: every key of the English catalogue (the compiler checks). */
export const vi: Record<MessageKey, string> = {
  'app.name': 'Ferry',
  'app.skipToContent': 'Chuyển đến nội dung',
  'nav.label': 'Chính',
  'nav.overview': 'Tổng quan',
  'nav.integrations': 'Kết nối',
  'nav.recipes': 'Công thức',
  'nav.masters': 'Ánh xạ danh mục',
  'nav.activity': 'Hoạt động',
  'nav.exceptions': 'Ngoại lệ',
  'nav.diagnostics': 'Chẩn đoán',
  'lang.label': 'Ngôn ngữ',
  'lang.en': 'English',
  'lang.vi': 'Tiếng Việt',
  'session.signOut': 'Đăng xuất',
  'session.tenant': 'Đơn vị {name}',
  'signIn.title': 'Đăng nhập Ferry',
  'signIn.intro':
    'Dán khóa API của đơn vị. Khóa được đổi lấy một phiên trình duyệt và không lưu trong trình duyệt.',
  'signIn.key': 'Khóa API của đơn vị',
  'signIn.submit': 'Đăng nhập',
  'signIn.unknownKey': 'Khóa API này không tồn tại hoặc đã bị thu hồi.',
  'signIn.notTenantKey':
    'Đây là khóa quản trị: hãy đăng nhập bằng khóa của đơn vị (khóa quản trị chỉ quản lý đơn vị và khóa).',
  'signIn.linkInvalid':
    'Liên kết đăng nhập này đã được dùng hoặc đã hết hạn. Hãy đăng nhập bằng khóa API, hoặc khởi động lại bản demo để có liên kết mới.',
  'signIn.expired': 'Phiên làm việc đã kết thúc. Vui lòng đăng nhập lại.',
  'signIn.signedOut': 'Bạn đã đăng xuất.',
  'csrf.refused': 'Biểu mẫu đã cũ. Hãy tải lại trang và thử lại.',
  'common.never': 'chưa bao giờ',
  'common.none': '—',
  'common.save': 'Lưu',
  'common.cancel': 'Hủy',
  'common.back': 'Quay lại',
  'common.error': 'Lỗi',
  'common.notFound': 'Trang này không tồn tại.',
  'integrations.title': 'Kết nối',
  'integrations.intro':
    'Các hệ thống mà Ferry chuyển chứng từ giữa chúng. Mỗi hệ thống chỉ cần kết nối một lần.',
  'integrations.notConnected': 'Chưa kết nối',
  'integrations.connected': 'Đã kết nối',
  'integrations.failing': 'Đang lỗi',
  'integrations.needsConsent': 'Cần cấp quyền',
  'integrations.unchecked': 'Chưa kiểm tra',
  'integrations.connection': 'Kết nối {name}',
}
