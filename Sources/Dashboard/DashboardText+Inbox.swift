/// The inbox's words, and each kind of message as a sentence (`inbox.<kind>`, its `{name}`s
/// filled from the message's details). A slice that posts a new kind adds its sentence here.
extension DashboardText {
    static let inboxChinese: [String: String] = [
        "inbox": "消息", "inboxMessage": "消息内容", "inboxState": "状态", "inboxMarkRead": "标为已读",
        "inboxIsRead": "已读", "inboxMarkAll": "全部标为已读", "inboxEmpty": "没有消息。",
        "inboxNoUnread": "没有未读消息。", "inboxShow.all": "全部", "inboxShow.unread": "未读",
        "inboxOther": "消息：", "inboxUnread": "{0} 条未读",
        "notice.inbox.read": "已标为已读。", "notice.inbox.allRead": "{0} 条消息已标为已读。",
        "entity.inbox_message": "消息",
    ]

    static let inboxEnglish: [String: String] = [
        "inbox": "Inbox", "inboxMessage": "Message", "inboxState": "State", "inboxMarkRead": "Mark read",
        "inboxIsRead": "Read", "inboxMarkAll": "Mark all read", "inboxEmpty": "No messages.",
        "inboxNoUnread": "No unread messages.", "inboxShow.all": "All", "inboxShow.unread": "Unread",
        "inboxOther": "Message: ", "inboxUnread": "{0} unread",
        "notice.inbox.read": "Marked read.", "notice.inbox.allRead": "{0} messages marked read.",
        "entity.inbox_message": "Message",
    ]
}
