/// The words of the coordinator's daily journey added with issue 14: why a run proposed
/// nothing, the review across runs, the matches and offers lists, the export, the audit in
/// sentences and the overview's charts. `{name}` marks a figure the page fills in.
extension DashboardText {
    static let coordinatorJourneyChinese: [String: String] = [
        // Review across runs
        "allWaiting": "查看所有待审核的匹配", "allRuns": "所有运行", "runWaiting": "运行 #{run}（{waiting} 条待审核）",
        "selectAllOnPage": "选择本页全部", "need": "需求", "proposedFrom": "提出日期从", "proposedUntil": "提出日期到",
        "previousPage": "上一页", "export": "导出", "invalid.run": "运行编号应为正整数。",
        "invalid.status": "未知的匹配状态。", "exportCSV": "导出 CSV（Excel 可直接打开）",
        "pageTotals": "第 {from}–{to} 条，共 {total} 条（第 {page}/{pages} 页）",
        // Runs: why nothing was proposed
        "runProposedNothing": "匹配运行 #{run} 已保存（区域 {region}），但没有提出任何匹配。",
        "whyNothing": "为什么没有提出匹配",
        "why.noOpenNeeds": "本区域没有待满足的需求。",
        "why.allNeedsHeld": "本区域 {open} 条待满足需求都已被占用，没有需求可再匹配。",
        "why.heldByProposals": "{needs} 条需求的全部数量已由待审核的匹配占用：请先在“审核匹配”中批准或驳回。",
        "why.heldByMatches": "{needs} 条需求的全部数量已由已批准或已接受的匹配占用。",
        "why.withoutConsent": "{needs} 条需求所属家庭尚未同意（或已撤回同意）共享信息。",
        "why.noOfferWithUnits": "覆盖本区域的 {offers} 条开放供给目前都没有可用余量。",
        "why.offersHeld": "{offers} 条供给的剩余数量已全部被待审核的匹配预留。",
        "why.offersAllocated": "{offers} 条供给已全部分配。",
        "why.offersOutsideWindow": "{offers} 条供给不在有效期内（尚未开始或已结束）。",
        "why.noPairs": "{needs} 条需求仍在等待、{offers} 条供给仍有余量，但没有一对同时符合类别、服务区域、资格条件和冷却期规则。",
        "fact.openNeeds": "待满足需求", "fact.needsHeldByProposals": "被待审核匹配占满的需求",
        "fact.needsFullyHeld": "被匹配占满的需求", "fact.needsWithoutConsent": "未同意共享的需求",
        "fact.needsWaiting": "可匹配的需求", "fact.unitsWanted": "尚缺单位数", "fact.offersReaching": "覆盖本区域的开放供给",
        "fact.offersWithUnits": "有余量的供给", "fact.unitsLeft": "可用单位数", "fact.offersHeld": "余量被待审核匹配预留的供给",
        "fact.offersAllocated": "已全部分配的供给", "fact.offersOutsideWindow": "不在有效期内的供给",
    ]

    static let coordinatorJourneyEnglish: [String: String] = [
        "allWaiting": "See every proposal waiting for review", "allRuns": "All runs",
        "runWaiting": "Run #{run} ({waiting} waiting)", "selectAllOnPage": "Select all on this page", "need": "Need",
        "proposedFrom": "Proposed from", "proposedUntil": "Proposed until", "previousPage": "Previous page",
        "export": "Export",
        "invalid.run": "A run number is a positive whole number.", "invalid.status": "Unknown match status.",
        "exportCSV": "Export CSV (opens in Excel)",
        "pageTotals": "{from}–{to} of {total} (page {page} of {pages})",
        "runProposedNothing": "Run #{run} was saved (region {region}) but proposed no match.",
        "whyNothing": "Why nothing was proposed",
        "why.noOpenNeeds": "There are no open needs in this region.",
        "why.allNeedsHeld": "All {open} open needs of this region are held; none is left to match.",
        "why.heldByProposals":
            "{needs} needs are fully held by proposals waiting for review: approve or reject them under Review first.",
        "why.heldByMatches": "{needs} needs are fully held by approved or accepted matches.",
        "why.withoutConsent": "{needs} needs belong to households that have not consented (or withdrew consent).",
        "why.noOfferWithUnits": "None of the {offers} open offers reaching this region has units left.",
        "why.offersHeld": "{offers} offers have all their remaining units reserved by proposals waiting for review.",
        "why.offersAllocated": "{offers} offers are fully allocated.",
        "why.offersOutsideWindow": "{offers} offers are outside their validity window (not started or ended).",
        "why.noPairs":
            "{needs} needs wait and {offers} offers have units left, but no pair meets the category, area, "
            + "eligibility and cool-down rules together.",
        "fact.openNeeds": "Open needs", "fact.needsHeldByProposals": "Needs fully held by proposals",
        "fact.needsFullyHeld": "Needs fully held by matches", "fact.needsWithoutConsent": "Needs without consent",
        "fact.needsWaiting": "Needs a run can match", "fact.unitsWanted": "Units still wanted",
        "fact.offersReaching": "Open offers reaching the region", "fact.offersWithUnits": "Offers with units left",
        "fact.unitsLeft": "Units left", "fact.offersHeld": "Offers whose rest is reserved by proposals",
        "fact.offersAllocated": "Offers fully allocated", "fact.offersOutsideWindow": "Offers outside their window",
    ]
}
