/// The words of charity evaluations (绩效评价): the coordinator's page, its notices and the
/// formula in words. ``DashboardText/tables`` lists them.
extension DashboardText {
    static let evaluationChinese: [String: String] = [
        "evaluations": "绩效评价", "evaluationsLink": "绩效评价（按季度计算、评分、公示）",
        "evaluationsHint":
            "按季度评价在本区域服务家庭的慈善组织：先计算草稿（草稿期间可重新计算），为每个组织填写协调员评分和说明，然后公示。公示后的评价不可更改，并计入匹配的可靠性因子。只有经社工确认签收的送达计为完成。",
        "evaluationPeriod": "季度", "computeEvaluation": "计算评价", "publishEvaluation": "公示",
        "evaluationAccepted": "已接受", "evaluationDelivered": "送达 · 确认 / 有异议", "evaluationFailed": "失效 / 被接管",
        "evaluationDays": "批准到送达（中位天数）", "evaluationSatisfaction": "满意度（评价数）",
        "evaluationScore": "综合得分", "evaluationCoordinatorScore": "协调员评分（0–100）", "evaluationNote": "说明",
        "saveEvaluationScore": "保存评分", "noEvaluations": "本季度还没有评价，请先计算。",
        "noEvaluatedCharities": "本季度本区域没有需要评价的慈善组织。",
        "evaluation.draft": "草稿", "evaluation.published": "已公示", "entity.evaluation": "绩效评价",
        "evaluationFormula":
            "综合得分 = 100 ×（满意度 40% + 送达率 20% + 签收确认率 15% + 及时性 10% + 投诉 5% + 协调员评分 10%）。前四项按观察数向中性值 0.6 收缩（相当于 5 个观察），个别案例不会决定小型组织的得分；没有记录也没有投诉的组织得 62 分。",
        "evaluationInvalid.period": "季度格式应为 2026Q4。", "evaluationInvalid.score": "评分应为 0 到 100 的整数。",
        "notice.evaluationComputed": "{0} 的评价已计算。", "notice.evaluationScored": "评分已保存。",
        "notice.evaluationPublished": "{0} 的评价已公示。",
    ]

    static let evaluationEnglish: [String: String] = [
        "evaluations": "Evaluations", "evaluationsLink": "Charity evaluations (compute, score and publish by quarter)",
        "evaluationsHint":
            "Evaluate the charities serving your region's households by quarter: compute a draft (again while it is a draft), give each charity your score and a note, then publish. A published evaluation never changes and feeds the reliability factor of matching. Only deliveries whose receipt a caseworker confirmed count as fulfilled.",
        "evaluationPeriod": "Quarter", "computeEvaluation": "Compute", "publishEvaluation": "Publish",
        "evaluationAccepted": "Accepted", "evaluationDelivered": "Delivered · confirmed / disputed",
        "evaluationFailed": "Lapsed / taken over", "evaluationDays": "Approval to delivery (median days)",
        "evaluationSatisfaction": "Satisfaction (ratings)", "evaluationScore": "Score",
        "evaluationCoordinatorScore": "Coordinator's score (0–100)", "evaluationNote": "Note",
        "saveEvaluationScore": "Save score", "noEvaluations": "No evaluation for this quarter yet: compute one.",
        "noEvaluatedCharities": "No charity to evaluate in your region this quarter.",
        "evaluation.draft": "Draft", "evaluation.published": "Published", "entity.evaluation": "Evaluation",
        "evaluationFormula":
            "Score = 100 × (satisfaction 40% + delivery rate 20% + confirmed receipts 15% + timeliness 10% + complaints 5% + coordinator's score 10%). The first four are pulled toward a neutral 0.6 as if by five observations, so one case does not decide a small charity's score; a charity with no record and no complaint scores 62.",
        "evaluationInvalid.period": "A quarter looks like 2026Q4.",
        "evaluationInvalid.score": "A score is a whole number from 0 to 100.",
        "notice.evaluationComputed": "Evaluation for {0} computed.", "notice.evaluationScored": "Score saved.",
        "notice.evaluationPublished": "Evaluation for {0} published.",
    ]
}
