/// Every word the dashboard shows, in both of its languages. Templates read them as
/// `{{t.key}}`; a key missing from one language is a test failure, not a blank.
///
/// Each group of pages keeps its words in its own pair of tables (`DashboardText+Review`
/// and so on), listed in ``tables``.
enum DashboardText {
    /// The (Chinese, English) tables of every group of pages.
    static let tables: [(chinese: [String: String], english: [String: String])] = [
        (chinese, english),
        (fieldChinese, fieldEnglish),
        (coordinatorChinese, coordinatorEnglish),
        (coordinatorJourneyChinese, coordinatorJourneyEnglish),
        (charityChinese, charityEnglish),
        (caseworkerChinese, caseworkerEnglish),
        (noticeChinese, noticeEnglish),
        (adminChinese, adminEnglish),
        (inboxChinese, inboxEnglish),
        (aidChainChinese, aidChainEnglish),
        (takeoverChinese, takeoverEnglish),
        (timeLimitChinese, timeLimitEnglish),
        (complaintsChinese, complaintsEnglish),
        (transfersChinese, transfersEnglish),
        (evaluationChinese, evaluationEnglish),
    ]

    static let merged: (chinese: [String: String], english: [String: String]) = tables.reduce(
        into: ([:], [:])
    ) { result, table in
        result.chinese.merge(table.chinese) { first, _ in first }
        result.english.merge(table.english) { first, _ in first }
    }

    static func strings(_ language: DashboardLanguage) -> [String: String] {
        language == .chinese ? merged.chinese : merged.english
    }

    static let chinese: [String: String] = [
        "product": "慈善对接", "signIn": "登录", "signOut": "退出", "token": "访问令牌",
        "tokenHelp": "粘贴管理员发放的访问令牌（以 cm_ 开头）。", "tokenRejected": "令牌无效、已撤销或已过期。",
        "csrfRejected": "表单已过期，请重新提交。", "overview": "概览", "needs": "需求", "offers": "慈善供给",
        "openNeeds": "待满足需求", "unmetNeeds": "未匹配需求", "proposed": "待审核", "approved": "已批准",
        "accepted": "已接受", "delivered": "已送达", "utilisation": "供给使用率", "gapMap": "资源缺口（乡镇 × 类别：尚缺单位 / 剩余供给）",
        "weekly": "每周匹配", "weeklyProposed": "提出", "weeklyDelivered": "送达", "satisfaction": "慈善组织满意度",
        "noGaps": "本区域没有未匹配的需求。", "noDeliveries": "尚无送达记录：批准匹配并由慈善组织送达后会出现在这里。",
        "role.admin": "管理员", "role.coordinator": "协调员", "role.caseworker": "社工", "role.charity": "慈善组织",
        "region": "区域", "category": "类别", "quantity": "数量", "urgency": "紧急程度", "status": "状态",
        "neededBy": "需要日期", "emergency": "急难", "household": "家庭", "title": "名称", "capacity": "总量",
        "remaining": "剩余", "allocated": "已分配", "nextPage": "下一页", "noNeeds": "本区域暂无需求。请先登记家庭和需求。",
        "noOffers": "还没有发布供给。", "language": "English", "ratings": "评价数", "average": "平均满意度", "offerStatus.open": "开放",
        "offerStatus.paused": "暂停", "offerStatus.closed": "已关闭",
        "factor.urgency": "紧急程度", "factor.vulnerability": "困难程度", "factor.proximity": "距离",
        "factor.waiting_time": "等待时间", "factor.category_fit": "类别契合", "factor.reliability": "组织可靠性",
        "factor.fairness": "公平性", "factor.deadline_fit": "时限契合",
    ]

    static let english: [String: String] = [
        "product": "CharityMatch", "signIn": "Sign in", "signOut": "Sign out", "token": "Access token",
        "tokenHelp": "Paste the access token an administrator gave you (it starts with cm_).",
        "tokenRejected": "The token is unknown, revoked or expired.",
        "csrfRejected": "The form expired; submit it again.",
        "overview": "Overview", "needs": "Needs", "offers": "Offers", "openNeeds": "Open needs",
        "unmetNeeds": "Unmet needs", "proposed": "Proposed", "approved": "Approved", "accepted": "Accepted",
        "delivered": "Delivered", "utilisation": "Offer utilisation",
        "gapMap": "Resource gaps (township × category: units wanted / supply left)", "weekly": "Matches per week",
        "weeklyProposed": "proposed", "weeklyDelivered": "delivered", "satisfaction": "Satisfaction per charity",
        "noGaps": "No unmet needs in this region.",
        "noDeliveries": "No deliveries yet: they appear here once matches are approved and delivered.",
        "role.admin": "Administrator", "role.coordinator": "Coordinator", "role.caseworker": "Caseworker",
        "role.charity": "Charity", "region": "Region", "category": "Category", "quantity": "Quantity",
        "urgency": "Urgency", "status": "Status", "neededBy": "Needed by", "emergency": "Emergency",
        "household": "Household", "title": "Title", "capacity": "Capacity", "remaining": "Remaining",
        "allocated": "Allocated", "nextPage": "Next page",
        "noNeeds": "No needs in this region yet. Register households and their needs first.",
        "noOffers": "No offers posted yet.", "language": "中文", "ratings": "Ratings", "average": "Mean satisfaction",
        "offerStatus.open": "Open",
        "offerStatus.paused": "Paused", "offerStatus.closed": "Closed",
        "factor.urgency": "Urgency", "factor.vulnerability": "Vulnerability", "factor.proximity": "Proximity",
        "factor.waiting_time": "Waiting time", "factor.category_fit": "Category fit",
        "factor.reliability": "Reliability", "factor.fairness": "Fairness", "factor.deadline_fit": "Deadline fit",
    ]
}
