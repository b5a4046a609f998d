/// The confirmations shown after an action (`notice.<key>`, `{0}` the subject's number),
/// so that a person sees what they just did rather than a card silently moving.
extension DashboardText {
    static let noticeChinese: [String: String] = [
        "notice.needRecorded": "需求 {0} 已登记。", "notice.feedbackRecorded": "已记录对匹配 {0} 的反馈。",
        "notice.runRecorded": "匹配批次 {0} 已完成，请审核它提出的建议。",
        "notice.match.approve": "匹配 {0} 已批准。", "notice.match.reject": "匹配 {0} 已驳回。",
        "notice.match.accept": "已接受匹配 {0}。", "notice.match.decline": "已婉拒匹配 {0}。",
        "notice.match.deliver": "匹配 {0} 已标记为送达。", "notice.match.cancel": "匹配 {0} 已取消。",
    ]

    static let noticeEnglish: [String: String] = [
        "notice.needRecorded": "Need {0} recorded.", "notice.feedbackRecorded": "Feedback on match {0} recorded.",
        "notice.runRecorded": "Matching run {0} finished; review its proposals.",
        "notice.match.approve": "Match {0} approved.", "notice.match.reject": "Match {0} rejected.",
        "notice.match.accept": "Match {0} accepted.", "notice.match.decline": "Match {0} declined.",
        "notice.match.deliver": "Match {0} marked as delivered.", "notice.match.cancel": "Match {0} cancelled.",
    ]
}
