import Foundation
import Matching
import Postgres

extension MatchFilter {
    /// What `principal` may see of matches: charity staff those on their charity's offers,
    /// coordinators and caseworkers those of households in their region, administrators all.
    public static func reach(of principal: Principal) -> MatchFilter {
        principal.role == .charity
            ? MatchFilter(charity: principal.charityID ?? -1) : MatchFilter(region: principal.regionLimit)
    }
}

extension MatchTransition {
    /// The action a person asks for when taking this step (the expiry is the system's).
    public var action: Action? {
        switch self {
        case .approve: .approveMatch
        case .reject: .rejectMatch
        case .accept: .acceptMatch
        case .decline: .declineMatch
        case .deliver: .deliverMatch
        case .cancel: .cancelMatch
        case .expire: nil
        }
    }
}

extension MatchRepository {
    /// `transition` taken by `principal`: the role is checked against the access policy, and
    /// the match is read, locked and changed in one transaction through the principal's reach
    /// (``MatchFilter/reach(of:)``), so a match outside it is ``StoreError/notFound(entity:id:)``
    /// exactly like a missing one, and no check runs on a state the change does not see.
    ///
    /// A person's delivery needs its `delivery` report (units, day, the receiver's
    /// confirmation): ``StoreError/invalid(field:reason:)`` on `delivered_units` without one.
    public func apply(
        _ transition: MatchTransition, to id: Int64, by principal: Principal, reasonCode: String? = nil,
        note: String? = nil, delivery: DeliveryReport? = nil, idempotency: IdempotencyClaim? = nil
    ) async throws -> MatchRecord {
        guard let action = transition.action else {
            throw StoreError.forbidden(role: principal.role.rawValue, action: .cancelMatch, scope: nil)
        }
        try principal.authorize(action)
        let holds = self.holds
        return try await client.withTransaction { connection in
            // Out of reach reads as missing before anything else is judged.
            guard try Self.lockedMatch(id, within: .reach(of: principal), on: connection) != nil else {
                throw StoreError.notFound(entity: .match, id: String(id))
            }
            let note = try DecisionReasons.validated(
                code: reasonCode, note: note, allowed: DecisionReasons.codes(for: transition),
                required: transition.requiresReason, action: "\(transition.rawValue) a match")
            if transition == .deliver {
                guard let delivery else {
                    throw StoreError.invalid(
                        field: "delivered_units", reason: "is required: say how many units reached the household")
                }
                _ = try delivery.validatedForm()
            }
            try idempotency?.begin(on: connection)
            let record = try Self.apply(
                transition, to: id, on: connection, by: principal.actor, reasonCode: reasonCode, note: note,
                holds: holds, reach: .reach(of: principal), delivery: transition == .deliver ? delivery : nil)
            try idempotency?.complete(.init(entity: .match, id: id, created: false), on: connection)
            return record
        }
    }

    /// The match if `principal` may see it, else nil (as a missing one).
    public func match(id: Int64, visibleTo principal: Principal) async throws -> MatchRecord? {
        try principal.authorize(.readMatches)
        return try await match(id: id, visibleTo: .reach(of: principal))
    }

    /// The row of match `id` locked for update, if it lies within `reach`.
    static func lockedMatch(
        _ id: Int64, within reach: MatchFilter, on connection: PostgresConnection
    ) throws
        -> MatchRecord?
    {
        var selection = MatchSelection(reach.visibility)
        let match = selection.bind(id)
        let rows = try connection.query(
            """
            SELECT \(MatchRecord.columns) FROM matches
             WHERE id = \(match) AND id IN (SELECT m.id FROM \(selection.tables) WHERE m.id = \(match)\(selection.conditions))
               FOR UPDATE
            """, selection.parameters)
        return try rows.first.map(MatchRecord.init(row:))
    }

    /// A charity takes part where a match's household lives only while it is in good
    /// standing: not suspended or banned everywhere (a ban lapses at its date), and not
    /// suspended by a coordinator of a region holding the household.
    static func requireCharityInGoodStanding(for match: MatchRecord, on connection: PostgresConnection) throws {
        let rows = try connection.query(
            """
            SELECT ch.id,
                   ch.status = 'active' OR (ch.status = 'banned' AND coalesce(ch.banned_until <= now(), false)) AS active,
                   h.region_code LIKE ANY (charity_suspension_patterns(ch.id)) AS suspended_here
              FROM offers o JOIN charities ch ON ch.id = o.charity_id, needs n JOIN households h ON h.id = n.household_id
             WHERE o.id = $1 AND n.id = $2
            """, [match.offerID, match.needID])
        guard let row = rows.first else { throw StoreError.notFound(entity: .match, id: String(match.id)) }
        guard try row.decode(Bool.self, "active"), !(try row.decode(Bool.self, "suspended_here")) else {
            throw StoreError.conflict(.charityNotInGoodStanding(charity: try row.decode(Int64.self, "id")))
        }
    }
}
