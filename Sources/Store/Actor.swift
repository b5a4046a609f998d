/// Who is doing something, for decisions and the audit trail.
///
/// `user` is nil for the system itself (the expiry sweep, a CLI run without a signed-in user).
public struct Actor: Sendable, Equatable {
    /// The user's id, or nil for the system.
    public let userID: Int64?

    public init(userID: Int64?) {
        self.userID = userID
    }

    /// The system: sweeps and command-line runs.
    public static let system = Actor(userID: nil)
}
