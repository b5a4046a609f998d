/// What a password must be, and how many wrong ones an account takes before it locks. One
/// place, so the dashboard, the command line and the tests hold the same rule.
public enum PasswordRule {
    /// The shortest password accepted, in characters.
    public static let minimumLength = 8
    /// The longest; scrypt hashes any length, but a megabyte of "password" is an attack.
    public static let maximumLength = 128
    /// Wrong passwords in a row that lock the account.
    public static let failuresBeforeLockout = 5
    /// How long a locked account refuses every password, the right one included.
    public static let lockout: Duration = .seconds(15 * 60)

    /// Refuses, as ``StoreError/invalid(field:reason:)`` naming `field`, a password that is
    /// too short or long, holds control characters, or is the login itself.
    public static func check(_ password: String, login: String, field: String = "password") throws(StoreError) {
        guard password.count >= minimumLength else {
            throw .invalid(field: field, reason: "must be at least \(minimumLength) characters")
        }
        guard password.count <= maximumLength else {
            throw .invalid(field: field, reason: "must be at most \(maximumLength) characters")
        }
        guard !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(field: field, reason: "must not contain control characters")
        }
        guard password.lowercased() != login.lowercased() else {
            throw .invalid(field: field, reason: "must not be the login")
        }
    }
}
