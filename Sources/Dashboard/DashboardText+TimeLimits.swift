/// The words of 限时办理: the stages' time limits and what is overdue per township.
/// ``DashboardText/tables`` lists them.
extension DashboardText {
    static let timeLimitChinese: [String: String] = [
        "timeLimits": "办理时限", "stageLimits": "各环节办理时限（天）",
        "stageLimitsHint": "适用于本区域；下级区域可另行设定，未设定的沿用上级或全国默认。",
        "stage.first_proposal": "登记 → 首次提议", "stage.decision": "提议 → 审核", "stage.acceptance": "批准 → 接受",
        "stage.delivery": "接受 → 送达",
        "stageHint.first_proposal": "需求登记后多少天内应有第一次匹配提议。",
        "stageHint.decision": "提议后多少天内协调员应批准或驳回。",
        "stageHint.acceptance": "批准后多少天内慈善组织应接受。", "stageHint.delivery": "接受后多少天内应送达。",
        "saveTimeLimits": "保存时限", "overdueTitle": "超时未办（按乡镇）", "overdueTotal": "超时合计：",
        "noOverdue": "本区域没有超时未办的事项。", "error.stageDays": "请填写 1 到 365 之间的整数天数。",
        "notice.timeLimitsSaved": "已保存 {0} 项时限。",
        "inbox.need.expired": "需求 {need} 已过需要日期，自动结束。",
        "inbox.match.accept_soon": "匹配 {match} 的保留期将于 {lapses} 到期，请尽快接受或婉拒。",
        "inbox.match.deliver_soon": "匹配 {match} 的保留期将于 {lapses} 到期，请尽快送达。",
        "reason.needed_by_passed": "已过需要日期", "reason.taken_over": "临时接管",
    ]

    static let timeLimitEnglish: [String: String] = [
        "timeLimits": "Time limits", "stageLimits": "Days each stage may take",
        "stageLimitsHint":
            "For your region; a region inside it may set its own, and one that sets none follows the wider region or the national default.",
        "stage.first_proposal": "Recorded → first proposal", "stage.decision": "Proposed → decided",
        "stage.acceptance": "Approved → accepted", "stage.delivery": "Accepted → delivered",
        "stageHint.first_proposal": "Days from recording a need to its first proposal.",
        "stageHint.decision": "Days a coordinator has to approve or reject a proposal.",
        "stageHint.acceptance": "Days a charity has to accept an approved match.",
        "stageHint.delivery": "Days from acceptance to delivery.",
        "saveTimeLimits": "Save the limits", "overdueTitle": "Overdue, by township", "overdueTotal": "Overdue in all:",
        "noOverdue": "Nothing is overdue in your region.",
        "error.stageDays": "Give a whole number of days from 1 to 365.",
        "notice.timeLimitsSaved": "{0} limit(s) saved.",
        "inbox.need.expired": "Need {need} passed its needed-by day and was closed.",
        "inbox.match.accept_soon": "The hold on match {match} lapses at {lapses}: accept or decline it soon.",
        "inbox.match.deliver_soon": "The hold on match {match} lapses at {lapses}: deliver it soon.",
        "reason.needed_by_passed": "Needed-by day passed", "reason.taken_over": "Taken over",
    ]
}
