/// The words of the charity's offer pages, its delivery form and its printable receipt
/// (签收单), and the notices after its actions; ``DashboardText/tables`` lists them.
extension DashboardText {
    static let charityChinese: [String: String] = [
        // Offers
        "all": "全部", "filterByStatus": "按状态筛选", "totalCapacity": "开放与暂停的供给总量", "postOffer": "发布供给",
        "newOffer": "发布供给", "offerTitle": "供给名称", "serviceArea": "服务范围", "availableFrom": "开始日期",
        "availableUntil": "截止日期", "offersShown": "符合条件的供给：", "previousPage": "上一页",
        "areaByTownships": "按乡镇（街道）：勾选服务的乡镇", "areaByCircle": "按圆形范围：中心点和半径",
        "latitude": "中心纬度", "longitude": "中心经度", "radiusKm": "半径（公里）", "saveOffer": "保存修改",
        "backToOffers": "返回供给列表", "pauseOffer": "暂停", "resumeOffer": "恢复", "closeOffer": "关闭供给",
        "offerClosedHint": "这条供给已关闭，不再参与匹配，也不能修改。",
        "closeHint": "暂停后不再参与新的匹配，可随时恢复；关闭后不可恢复，已批准和已接受的匹配照常进行。",
        "defaultUnit": "类别默认单位", "areaRegions": "%d 个地区", "areaCircle": "半径 %@ 公里",
        "error.titleRequired": "请填写供给名称（一行，不超过 200 字）。",
        "error.capacity": "总量须为 1 到 1,000,000 之间的整数。", "error.day": "请按 年-月-日 填写日期。",
        "error.townshipsRequired": "请至少勾选一个乡镇，或改为按圆形范围服务。",
        "error.centre": "中心点须为纬度 −90～90、经度 −180～180 的数字。",
        "error.radius": "半径须为大于 0、不超过 1000 的公里数。", "error.untilAfterFrom": "截止日期须晚于开始日期和今天。",
        "error.belowAllocated": "总量不能少于已分配给匹配的数量。", "error.charityNotActive": "本组织目前不能发布供给（已暂停或禁止）。",
        "error.offerChangedElsewhere": "保存前这条供给已在别处修改（例如另一个标签页）。您填写的内容仍在下方；请核对当前状态后再次保存。",
        "error.offerClosed": "这条供给已关闭，不能再修改。", "error.offerMoved": "这条供给的状态已经变化，请查看当前状态。",
        // Delivery and the receipt
        "deliveryRecord": "送达记录", "deliveredQuantity": "实际送达数量", "deliveredOn": "送达日期",
        "receivedBy": "签收人（签名）", "receiptCode": "签收单编号",
        "receiptHint": "填写签收人的签名姓名，或纸质签收单的编号，至少一项。送达日期不能早于批准日期，也不能晚于今天。",
        "printReceipt": "打印签收单", "receiptTitle": "签收单", "receiptNoContact": "未显示联系方式：家庭未同意共享，或匹配已送达。",
        "receiverSignature": "签收人签名", "delivererSignature": "送达人签名",
        "printHint": "用浏览器的打印功能打印本页；打印时只保留签收单。", "backToMatch": "返回匹配",
        "error.deliveredUnits": "送达数量须为 1 到本匹配数量之间的整数。",
        "error.deliveredOn": "送达日期须在批准日期和今天之间（年-月-日）。",
        "error.receiptRequired": "请填写签收人姓名或签收单编号。", "error.receiptText": "签收信息须为一行，不超过 100 字。",
        // Notices after an action
        "notice.offerPosted": "供给 {0} 已发布。", "notice.offerSaved": "供给 {0} 的修改已保存。",
        "notice.offerPaused": "供给 {0} 已暂停。", "notice.offerResumed": "供给 {0} 已恢复。",
        "notice.offerClosed": "供给 {0} 已关闭。",
    ]

    static let charityEnglish: [String: String] = [
        // Offers
        "all": "All", "filterByStatus": "Filter by status", "totalCapacity": "Capacity of open and paused offers",
        "postOffer": "Post an offer", "newOffer": "Post an offer", "offerTitle": "Offer title",
        "serviceArea": "Service area", "availableFrom": "Available from", "availableUntil": "Available until",
        "offersShown": "Offers matching the filter:", "previousPage": "Previous page",
        "areaByTownships": "By townships: tick the townships served", "areaByCircle": "By a circle: centre and radius",
        "latitude": "Centre latitude", "longitude": "Centre longitude", "radiusKm": "Radius (km)",
        "saveOffer": "Save changes", "backToOffers": "Back to offers", "pauseOffer": "Pause", "resumeOffer": "Resume",
        "closeOffer": "Close offer",
        "offerClosedHint": "This offer is closed: it takes no matches and cannot be changed.",
        "closeHint":
            "A paused offer takes no new matches until resumed; a closed one is closed for good. Approved and accepted matches carry on.",
        "defaultUnit": "Category's default unit", "areaRegions": "%d regions", "areaCircle": "%@ km radius",
        "error.titleRequired": "Give the offer a title (one line, at most 200 characters).",
        "error.capacity": "Capacity must be a whole number from 1 to 1,000,000.",
        "error.day": "Write the date as year-month-day.",
        "error.townshipsRequired": "Tick at least one township, or serve a circle instead.",
        "error.centre": "The centre must be a latitude of −90…90 and a longitude of −180…180.",
        "error.radius": "The radius must be more than 0 and at most 1000 km.",
        "error.untilAfterFrom": "The end date must be after the start date and today.",
        "error.belowAllocated": "Capacity cannot go below the units already allocated to matches.",
        "error.charityNotActive": "Your organisation cannot post offers now (suspended or banned).",
        "error.offerChangedElsewhere":
            "This offer was changed elsewhere (another tab, say) before you saved. What you typed is kept below; check where it stands and save again.",
        "error.offerClosed": "This offer is closed and can no longer be changed.",
        "error.offerMoved": "This offer has changed meanwhile; see where it stands now.",
        // Delivery and the receipt
        "deliveryRecord": "Delivery record", "deliveredQuantity": "Units delivered", "deliveredOn": "Delivered on",
        "receivedBy": "Received by (name as signed)", "receiptCode": "Receipt number",
        "receiptHint":
            "Give the receiver's name as signed, or the number of the paper receipt, or both. The date may not be before the approval or after today.",
        "printReceipt": "Print the receipt", "receiptTitle": "Delivery receipt",
        "receiptNoContact": "No contact shown: the household has not consented, or the match is delivered.",
        "receiverSignature": "Receiver's signature", "delivererSignature": "Deliverer's signature",
        "printHint": "Print this page with the browser's print command; only the receipt is printed.",
        "backToMatch": "Back to the match",
        "error.deliveredUnits": "Units delivered must be a whole number from 1 to the match's units.",
        "error.deliveredOn": "The delivery date must lie between the approval and today (year-month-day).",
        "error.receiptRequired": "Give the receiver's name or the receipt number.",
        "error.receiptText": "Receipt details must be one line of at most 100 characters.",
        // Notices after an action
        "notice.offerPosted": "Offer {0} posted.", "notice.offerSaved": "Changes to offer {0} saved.",
        "notice.offerPaused": "Offer {0} paused.", "notice.offerResumed": "Offer {0} resumed.",
        "notice.offerClosed": "Offer {0} closed.",
    ]
}
