"""Every UI string, in Vietnamese (first) and English. Values of enums live in tracker.i18n.

A test checks that each key has both languages and that every key passed to t() in the
code names a key of this table.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("Theo dõi nhiệm vụ thực hiện Nghị quyết 57-NQ/TW", "Resolution 57-NQ/TW task tracker"),
    "app_short": ("Theo dõi NQ 57", "Resolution 57 tracker"),
    "language": ("Ngôn ngữ", "Language"),
    "signed_in_as": ("Đăng nhập: {name} ({role})", "Signed in: {name} ({role})"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_in_oidc": ("Đăng nhập bằng tài khoản tổ chức", "Sign in with your organisation account"),
    "sign_in_first": ("Vui lòng đăng nhập để xem trang này.", "Please sign in to see this page."),
    "signed_out_idle": (
        "Phiên làm việc đã kết thúc do không thao tác quá {minutes} phút. Vui lòng đăng nhập lại.",
        "Your session ended after {minutes} minutes without activity. Please sign in again.",
    ),
    "no_pages": (
        "Tài khoản chưa được gắn với đơn vị nào nên chưa có trang để xem; liên hệ Tổ giúp việc.",
        "This account is not linked to a unit yet, so there is nothing to show; contact the secretariat.",
    ),
    "username": ("Tên đăng nhập", "Username"),
    "display_name": ("Họ và tên", "Full name"),
    "password": ("Mật khẩu", "Password"),
    "password_repeat": ("Nhập lại mật khẩu", "Repeat the password"),
    "passwords_differ": ("Hai lần nhập mật khẩu không khớp.", "The two passwords differ."),
    # first run
    "setup_title": ("Thiết lập lần đầu", "First-time setup"),
    "setup_intro": (
        "Cơ sở dữ liệu chưa có tài khoản nào. Tạo tài khoản Tổ giúp việc đầu tiên để bắt đầu.",
        "The database has no account yet. Create the first secretariat account to begin.",
    ),
    "setup_create": ("Tạo tài khoản và bắt đầu", "Create the account and start"),
    # page titles
    "page_overview": ("Tổng quan", "Overview"),
    "page_my_unit": ("Đơn vị của tôi", "My unit"),
    "page_tasks": ("Danh sách nhiệm vụ", "Tasks"),
    "page_task": ("Chi tiết nhiệm vụ", "Task detail"),
    "page_units": ("Kết quả theo đơn vị", "Units"),
    "page_reports": ("Báo cáo", "Reports"),
    "page_queue": ("Chờ xử lý", "Queue"),
    "page_import": ("Nhập kế hoạch", "Import a plan"),
    "page_admin": ("Quản trị", "Administration"),
    # shared inputs
    "as_of": ("Tính đến ngày", "As of"),
}
