import Foundation
import Matching
import Postgres

/// 转介 (民发〔2017〕153号): caseworkers send a household to the office of the village it moves
/// to, or refer one of its needs to a named charity; the receiver accepts or returns it with a
/// reason, the sender may withdraw it while it waits. A household is never in two places at
/// once: at most one pending transfer per household (checked with its row locked, backed by a
/// unique partial index), and it stays where it is, owned by the sender, until accepted.
///
/// Who sees a transfer: the sending office (its region contains `from_region`), the
/// receiving office (caseworkers of a township or wider region containing `to_region`), the
/// receiving charity's staff, and administrators. Anyone else gets
/// ``StoreError/notFound(entity:id:)``, exactly as for a missing one.
public struct CaseTransferRepository: Sendable {
    /// The receiver's time limit when the sender names none.
    public static let defaultDueDays = 5
    /// Reason code of the matches a household's move cancels.
    public static let movedReasonCode = "household_moved"
    /// Reason code of the need's matches cancelled when a charity takes its referral on.
    public static let referredReasonCode = "need_met_elsewhere"

    let client: PostgresClient
    let sealer: IDNumberSealer?

    public init(client: PostgresClient, sealer: IDNumberSealer?) {
        self.client = client
        self.sealer = sealer
    }

    /// Sends a household transfer or a referral for ``Action/sendTransfer``, audited as
    /// `transfer.send` and posted to the receiving township's caseworkers or the charity. The
    /// household (of the need, for a referral) must lie inside the caller's region; a household
    /// transfer goes to a village of another township; a referral needs an open need, consent
    /// on file and an active charity. A second pending transfer of one household is
    /// ``ConflictReason/transferPending(household:transfer:)``.
    public func send(_ request: TransferRequest, by principal: Principal) async throws -> CaseTransfer {
        try principal.authorize(.sendTransfer)
        let reason = try requiredText(request.reason, field: "reason", maxLength: 500, rule: .multiLine)
        let dueDays = request.dueDays ?? Self.defaultDueDays
        guard (1...30).contains(dueDays) else { throw StoreError.invalid(field: "due_days", reason: "must be 1 to 30") }
        let target = try Self.target(of: request)
        let scope = principal.regionLimit
        return try await client.withTransaction { connection in
            let household: HouseholdRecord
            switch target {
            case .village(let household0, let village):
                household = try HouseholdRepository.lock(household0, within: scope, on: connection)
                try Self.checkVillage(village, from: household.regionCode, on: connection)
            case .charity(let need, let charity):
                let owner = try connection.query("SELECT household_id FROM needs WHERE id = $1", [need]).first
                guard let owner else { throw StoreError.notFound(entity: .need, id: String(need)) }
                do {
                    household = try HouseholdRepository.lock(
                        try owner.decode(Int64.self, "household_id"), within: scope, on: connection)
                } catch StoreError.notFound {
                    throw StoreError.notFound(entity: .need, id: String(need))
                }
                try Self.checkReferral(need: need, charity: charity, household: household, on: connection)
            }
            if let pending = try connection.query(
                "SELECT id FROM case_transfers WHERE household_id = $1 AND status = 'pending'", [household.id]
            ).first {
                throw StoreError.conflict(
                    .transferPending(household: household.id, transfer: try pending.decode(Int64.self, "id")))
            }
            let id = try connection.query(
                """
                INSERT INTO case_transfers (kind, household_id, need_id, from_region, to_region, to_charity_id, reason,
                                            sent_by, due_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(days => $9::integer))
                RETURNING id
                """,
                [
                    request.kind.rawValue, household.id, target.need, household.regionCode, target.village,
                    target.charity, reason, principal.userID, dueDays,
                ])[0].decode(Int64.self, "id")
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "transfer.send", entityType: "transfer",
                entityID: String(id), reason: reason,
                details: [
                    "kind": request.kind.rawValue, "household": String(household.id),
                    "to": target.village ?? target.charity.map { String($0) } ?? "",
                ])
            let details = ["transfer": String(id), "household": String(household.id)]
            if let village = target.village {
                try Inbox.post(
                    on: connection, to: .staff(role: .caseworker, region: Self.township(of: village)),
                    kind: "transfer.sent", entityType: "transfer", entityID: String(id), details: details)
            } else if let charity = target.charity {
                try Inbox.post(
                    on: connection, to: .charity(charity), kind: "transfer.referred", entityType: "transfer",
                    entityID: String(id), details: ["transfer": String(id)])
            }
            return try Self.read(id, on: connection, charity: nil, sealer: sealer)
        }
    }

    /// One transfer the caller may see (see the type's notes), else
    /// ``StoreError/notFound(entity:id:)``.
    public func transfer(id: Int64, by principal: Principal) async throws -> CaseTransfer {
        try principal.authorize(.readTransfers)
        let reader = try TransferReader(principal)
        let rows = try await client.query(
            "SELECT \(CaseTransfer.columns) FROM \(CaseTransfer.joins) WHERE t.id = $4 AND \(TransferReader.visible)",
            reader.parameters(direction: nil) + [id])
        guard let row = rows.first else { throw StoreError.notFound(entity: .transfer, id: String(id)) }
        return try CaseTransfer(row: row, charity: reader.charity, sealer: sealer)
    }

    /// The transfers the caller sends or receives, overdue pending ones first, then pending
    /// ones, then newest first; `direction` narrows to one side, `status` to one state.
    public func transfers(
        by principal: Principal, direction: TransferDirection? = nil, status: TransferStatus? = nil, page: Int = 1,
        pageSize: Int = 50
    ) async throws -> NumberedPage<CaseTransfer> {
        try principal.authorize(.readTransfers)
        try NumberedPage<CaseTransfer>.validate(page: page, pageSize: pageSize)
        let reader = try TransferReader(principal)
        let parameters = reader.parameters(direction: direction) + [status?.rawValue]
        let filter = "\(TransferReader.visible) AND ($4::text IS NULL OR t.status = $4::text)"
        let total = try await client.query(
            "SELECT count(*) AS n FROM case_transfers t WHERE \(filter)", parameters
        )[0].decode(Int.self, "n")
        let rows = try await client.query(
            """
            SELECT \(CaseTransfer.columns) FROM \(CaseTransfer.joins) WHERE \(filter)
             ORDER BY (t.status = 'pending' AND t.due_at < now()) DESC, (t.status = 'pending') DESC, t.id DESC
             LIMIT $5 OFFSET $6
            """, parameters + [pageSize, (page - 1) * pageSize])
        return NumberedPage(
            items: try rows.map { try CaseTransfer(row: $0, charity: reader.charity, sealer: sealer) }, total: total,
            page: page, pageSize: pageSize)
    }

    /// The transfer as written, inside the transaction that wrote it.
    static func read(
        _ id: Int64, on connection: PostgresConnection, charity: Int64?, sealer: IDNumberSealer?
    ) throws -> CaseTransfer {
        let row = try connection.query(
            "SELECT \(CaseTransfer.columns) FROM \(CaseTransfer.joins) WHERE t.id = $1", [id])[0]
        return try CaseTransfer(row: row, charity: charity, sealer: sealer)
    }

    /// The 12-digit code of the township containing `village`: where its office's messages go.
    static func township(of village: String) -> String {
        String(village.prefix(9)) + "000"
    }

    private enum Target {
        case village(household: Int64, code: String)
        case charity(need: Int64, charity: Int64)

        var village: String? {
            if case .village(_, let code) = self { code } else { nil }
        }
        var need: Int64? {
            if case .charity(let need, _) = self { need } else { nil }
        }
        var charity: Int64? {
            if case .charity(_, let charity) = self { charity } else { nil }
        }
    }

    private static func target(of request: TransferRequest) throws(StoreError) -> Target {
        switch request.kind {
        case .household:
            guard let household = request.householdID else {
                throw .invalid(field: "household_id", reason: "is required for a household transfer")
            }
            guard let village = request.toRegion?.trimmingBlanks(), !village.isEmpty else {
                throw .invalid(field: "to_region", reason: "is required for a household transfer")
            }
            guard let code = RegionCode(village), code.level == .village else {
                throw .invalid(field: "to_region", reason: "must be the 12-digit code of a village")
            }
            return .village(household: household, code: code.digits)
        case .referral:
            guard let need = request.needID else {
                throw .invalid(field: "need_id", reason: "is required for a referral")
            }
            guard let charity = request.toCharityID else {
                throw .invalid(field: "to_charity_id", reason: "is required for a referral")
            }
            return .charity(need: need, charity: charity)
        }
    }

    private static func checkVillage(_ village: String, from current: String, on connection: PostgresConnection) throws
    {
        guard try !connection.query("SELECT 1 FROM regions WHERE code = $1 AND level = 5", [village]).isEmpty else {
            throw StoreError.invalid(field: "to_region", reason: "is not a village on file")
        }
        guard village.prefix(9) != current.prefix(9) else {
            throw StoreError.invalid(
                field: "to_region", reason: "lies in the household's own township; a transfer goes to another office")
        }
    }

    private static func checkReferral(
        need: Int64, charity: Int64, household: HouseholdRecord, on connection: PostgresConnection
    ) throws {
        let status = try connection.query("SELECT status FROM needs WHERE id = $1", [need])[0]
            .decode(String.self, "status")
        guard status == "open" || status == "matched" else {
            throw StoreError.conflict(.notActive(.need, id: need, status: status))
        }
        guard household.hasConsent else { throw StoreError.conflict(.consentWithdrawn(need: need)) }
        guard let row = try connection.query("SELECT status FROM charities WHERE id = $1", [charity]).first else {
            throw StoreError.notFound(entity: .charity, id: String(charity))
        }
        let standing = try row.decode(String.self, "status")
        guard standing == "active" else {
            throw StoreError.conflict(.notActive(.charity, id: charity, status: standing))
        }
    }
}

extension CaseTransferRepository {
    /// The villages a household living in `region` may be sent to from a form: those of its
    /// county outside its own township, by code, at most `limit`.
    public func destinations(from region: String, limit: Int = 1000) async throws -> [RegionRecord] {
        try await client.query(
            """
            SELECT \(RegionRecord.columns) FROM regions
             WHERE level = 5 AND code LIKE left($1, 6) || '%' AND left(code, 9) <> left($1, 9)
             ORDER BY code LIMIT $2
            """, [region, limit]
        ).map(RegionRecord.init(row:))
    }
}
