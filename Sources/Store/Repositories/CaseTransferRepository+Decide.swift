import Foundation
import Matching
import Postgres

/// What ends a pending transfer: the receiver accepts or returns it, the sender withdraws it.
public enum TransferDecision: String, Sendable, CaseIterable {
    case accept, `return`, withdraw

    var status: TransferStatus {
        switch self {
        case .accept: .accepted
        case .return: .returned
        case .withdraw: .withdrawn
        }
    }
}

extension CaseTransferRepository {
    /// Ends pending transfer `id` with `decision`, audited as `transfer.<decision>` in the same
    /// transaction, the household row locked first (then its matches in id order, then the
    /// transfer), as every household change does.
    ///
    /// Accepting a household transfer moves the household to the receiving village, cancels its
    /// live matches (`household_moved`, each releasing what it reserved) and keeps its open
    /// needs and its whole history, now the receiving office's. Accepting a referral means the
    /// charity has taken the need on: its live matches are cancelled (`need_met_elsewhere`) and
    /// runs and candidate lists leave it out while the referral stands. Returning needs a
    /// `reason` and changes nothing else. Accept and return are the receiver's (caseworkers of
    /// a township or wider region containing the village, the named charity's staff, or an
    /// administrator); withdraw is the sending office's. The sender hears of an accept or a return.
    public func decide(
        _ decision: TransferDecision, transfer id: Int64, reason: String? = nil, by principal: Principal
    ) async throws -> CaseTransfer {
        let action: Action = decision == .withdraw ? .withdrawTransfer : .decideTransfer
        try principal.authorize(action)
        let returnReason = try optionalText(reason, field: "reason", maxLength: 500, rule: .multiLine)
        let reader = try TransferReader(principal)
        return try await client.withTransaction { connection in
            let found = try connection.query(
                "SELECT t.household_id FROM case_transfers t WHERE t.id = $4 AND \(TransferReader.visible)",
                reader.parameters(direction: nil) + [id]
            ).first
            guard let found else { throw StoreError.notFound(entity: .transfer, id: String(id)) }
            let household = try HouseholdRepository.lock(
                try found.decode(Int64.self, "household_id"), within: nil, on: connection)
            let row = try connection.query(
                """
                SELECT kind, status, to_region, to_charity_id, need_id, from_region, sent_by
                  FROM case_transfers WHERE id = $1 FOR UPDATE
                """, [id])[0]
            let kind = TransferKind(rawValue: try row.decode(String.self, "kind")) ?? .household
            let status = try row.decode(String.self, "status")
            let toRegion = try row.decode(String?.self, "to_region")
            let fromRegion = try row.decode(String.self, "from_region")
            guard
                Self.may(
                    decision, principal: principal, kind: kind, toRegion: toRegion,
                    toCharity: try row.decode(Int64?.self, "to_charity_id"), fromRegion: fromRegion)
            else {
                throw StoreError.forbidden(
                    role: principal.role.rawValue, action: action, scope: principal.regionLimit?.prefix)
            }
            if decision == .return, returnReason == nil {
                throw StoreError.invalid(field: "reason", reason: "is required to return a transfer: say why")
            }
            guard status == TransferStatus.pending.rawValue else {
                throw StoreError.invalidTransition(
                    entity: .transfer, id: String(id), from: status, action: decision.status.rawValue)
            }
            var cancelled: [Int64] = []
            if decision == .accept {
                if kind == .household, let toRegion {
                    try connection.query(
                        "UPDATE households SET region_code = $2, version = version + 1 WHERE id = $1",
                        [household.id, toRegion])
                    cancelled = try MatchRepository.cancelLiveMatches(
                        ofHousehold: household.id, reasonCode: Self.movedReasonCode, on: connection,
                        by: principal.actor)
                } else if let need = try row.decode(Int64?.self, "need_id") {
                    cancelled = try MatchRepository.cancelLiveMatches(
                        ofNeed: need, reasonCode: Self.referredReasonCode, on: connection, by: principal.actor)
                }
            }
            try connection.query(
                """
                UPDATE case_transfers SET status = $2, decided_by = $3, decided_at = now(), return_reason = $4
                 WHERE id = $1
                """,
                [id, decision.status.rawValue, principal.userID, decision == .return ? returnReason : nil])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "transfer.\(decision.rawValue)",
                entityType: "transfer", entityID: String(id), reason: returnReason,
                details: TransferAudit(
                    household: household.id, fromRegion: fromRegion,
                    toRegion: decision == .accept && kind == .household ? toRegion : nil,
                    cancelledMatches: cancelled))
            if decision != .withdraw {
                let audience: InboxAudience =
                    if let sender = try row.decode(Int64?.self, "sent_by") {
                        .user(sender)
                    } else {
                        .staff(role: .caseworker, region: fromRegion)
                    }
                try Inbox.post(
                    on: connection, to: audience, kind: "transfer.\(decision.status.rawValue)", entityType: "transfer",
                    entityID: String(id), details: ["transfer": String(id), "household": String(household.id)])
            }
            return try Self.read(id, on: connection, charity: reader.charity, sealer: sealer)
        }
    }

    /// Whether `principal` may take `decision` on a transfer sent from `fromRegion` to
    /// `toRegion` or `toCharity`.
    static func may(
        _ decision: TransferDecision, principal: Principal, kind: TransferKind, toRegion: String?, toCharity: Int64?,
        fromRegion: String
    ) -> Bool {
        guard principal.role != .admin else { return true }
        if decision == .withdraw {
            guard let limit = principal.regionLimit else { return false }
            return principal.role == .caseworker && fromRegion.hasPrefix(limit.prefix)
        }
        switch kind {
        case .household:
            guard principal.role == .caseworker, let limit = principal.regionLimit, let toRegion else { return false }
            return limit.prefix.count <= 9 && toRegion.hasPrefix(limit.prefix)
        case .referral:
            return principal.role == .charity && principal.charityID != nil && principal.charityID == toCharity
        }
    }
}

/// The audit row of a transfer's decision: ids and region codes only.
struct TransferAudit: Encodable {
    var household: Int64
    var fromRegion: String
    var toRegion: String?
    var cancelledMatches: [Int64]
}
