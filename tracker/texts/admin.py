"""Catalogue texts (zh, en) — see tracker/texts/__init__.py.

Accounts, sessions, logins, permissions and the office's settings (light thresholds).
"""

TEXTS: dict[str, tuple[str, str]] = {
    # permissions
    "perm.denied": ("没有权限执行此操作", "You are not allowed to do this"),
    "perm.login_first": ("请先登录", "Please sign in first"),
    # logins
    "login.wrong": (
        "用户名或密码错误，或账号已停用",
        "Wrong username or password, or the account is disabled",
    ),
    "login.locked": (
        "登录失败次数过多，请 {minutes} 分钟后再试",
        "Too many failed sign-ins; try again in {minutes} minutes",
    ),
    # accounts
    "user.bad_role": (
        "角色“{role}”无效，应为 {roles} 之一",
        "“{role}” is not a role; use one of {roles}",
    ),
    "user.bad_county": (
        "县区牵头人必须指定县（区）：{county} 不是有效的县区",
        "A county lead needs a county: {county} is not one",
    ),
    "user.county_empty": ("（空）", "(empty)"),
    "user.unit_needed": ("牵头单位账号必须指定牵头单位", "A lead-unit account needs its lead unit"),
    "user.bad_password": ("密码格式不正确", "The password is not valid text"),
    "user.short_password": (
        "密码至少需要 {n} 个字符",
        "The password needs at least {n} characters",
    ),
    "user.exists": ("用户名“{username}”已存在", "The username “{username}” is taken"),
    "user.unknown": ("用户不存在", "No such user"),
    "user.not_found": ("用户“{username}”不存在", "There is no user “{username}”"),
    "user.stale": (
        "该用户已被他人修改，请刷新后重试",
        "Someone else changed this user; refresh and try again",
    ),
    "user.disable_self": ("不能停用自己的账号", "You cannot disable your own account"),
    # the office's light thresholds
    "th.stale": (
        "阈值已被他人修改，请刷新后重试",
        "Someone else changed the thresholds; refresh and try again",
    ),
    "th.not_number": ("阈值“{name}”不是有效数字", "The threshold “{name}” is not a number"),
    "th.bad_edges": (
        "“{rule}”：黄灯阈值须大于 0，红灯阈值不能小于黄灯阈值",
        "“{rule}”: the amber edge must be above 0 and the red edge not below the amber one",
    ),
    "th.negative_due_soon": (
        "“即将到期提醒”天数不能为负数",
        "The “due soon” days cannot be negative",
    ),
}
