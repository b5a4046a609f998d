import Matching
import Store

/// The function-level and object-level rules, in one place so that every controller asks
/// the same questions the same way.
///
/// Function level: which roles may call an operation at all (403 otherwise). Object level:
/// what part of the data a caller reaches; anything outside it answers 404, exactly like
/// something that does not exist, so a caller cannot probe for ids.
extension Principal {
    /// Refuses with 403 unless the caller has one of `roles`.
    func require(_ roles: UserRole..., toDo action: String) throws {
        guard roles.contains(role) else {
            throw Problem.forbidden("A \(role.rawValue) may not \(action).")
        }
    }

    /// The region a coordinator's or caseworker's reads and writes are confined to; nil for
    /// an admin (everything). Charity staff have no region: callers check ``charityID``.
    var regionLimit: RegionScope? {
        role == .admin ? nil : regionScope
    }

    /// The caller's charity, or 403 for any other role.
    func requireCharity(toDo action: String) throws -> Int64 {
        guard role == .charity, let charityID else {
            throw Problem.forbidden("Only charity staff may \(action).")
        }
        return charityID
    }

    /// The intersection of the caller's region and a requested one: nil means "no limit",
    /// and a requested region wholly outside the caller's gives `.none` (an empty answer).
    func narrowing(_ requested: RegionScope?) -> RegionNarrowing {
        guard let limit = regionLimit else { return .within(requested) }
        guard let requested else { return .within(limit) }
        if requested.prefix.hasPrefix(limit.prefix) { return .within(requested) }
        if limit.prefix.hasPrefix(requested.prefix) { return .within(limit) }
        return .none
    }
}

/// See ``Principal/narrowing(_:)``.
enum RegionNarrowing: Equatable {
    case within(RegionScope?)
    case none
}
