/// The words of takeovers (临时接管): the coordinator's list, its run and the message
/// that tells people. ``DashboardText/tables`` lists them.
extension DashboardText {
    static let takeoverChinese: [String: String] = [
        "takeovers": "临时接管",
        "takeoversHint":
            "慈善组织被暂停、禁入，或关闭仍有预留的供给时，它在本区域尚未送达的匹配立即取消、预留的单位退回，这些需求在这里等待优先重新匹配。点击“优先匹配”只对这些需求运行一次匹配，结果在审核页确认。",
        "takeoverCause": "原因", "takeoverHeld": "取消的匹配 · 单位", "takeoverNeeds": "已重新匹配 / 需求",
        "takeoverRun": "接管匹配", "runTakeover": "优先匹配", "noTakeovers": "本区域没有需要接管的匹配。",
        "takeoverCause.suspended": "暂停", "takeoverCause.banned": "禁入",
        "takeoverCause.regional_suspension": "区域暂停", "takeoverCause.offer_closed": "供给关闭",
        "notice.takeoverRunRecorded": "接管匹配 {0} 已提出，请在下面审核。",
        "notice.takeoverRunNothing": "接管 {0} 的需求这次没有可提出的匹配（没有合适的供给或余量）。",
        "notice.takeoverRunBusy": "本区域正在运行另一次匹配，请稍后再试（接管 {0}）。",
        "inbox.takeover.started": "临时接管 {takeover}：{matches} 个未送达的匹配已取消并退回单位，需求将优先重新匹配。",
    ]

    static let takeoverEnglish: [String: String] = [
        "takeovers": "Takeovers",
        "takeoversHint":
            "When a charity is suspended, banned, or closes an offer still holding units, its matches here that are not yet delivered are cancelled at once and their units released; their needs wait here to be re-matched first. \"Re-match first\" runs the matching over these needs alone; confirm its proposals on the review page.",
        "takeoverCause": "Cause", "takeoverHeld": "Matches cancelled · units", "takeoverNeeds": "Re-matched / needs",
        "takeoverRun": "Takeover run", "runTakeover": "Re-match first",
        "noTakeovers": "Nothing to take over in your region.",
        "takeoverCause.suspended": "Suspended", "takeoverCause.banned": "Banned",
        "takeoverCause.regional_suspension": "Suspended here", "takeoverCause.offer_closed": "Offer closed",
        "notice.takeoverRunRecorded": "Takeover run {0} proposed; review it below.",
        "notice.takeoverRunNothing": "Takeover {0}: nothing to propose this time (no suitable offer or units left).",
        "notice.takeoverRunBusy": "Another run is under way in your region; try again shortly (takeover {0}).",
        "inbox.takeover.started":
            "Takeover {takeover}: {matches} matches not yet delivered were cancelled and their units released; their needs are re-matched first.",
    ]
}
