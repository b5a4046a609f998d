import Foundation
import Matching
import Postgres

/// Complaints and flags (投诉, 社会监督): anyone with a role raises one about a match, an offer
/// or a charity they can see; the coordinators of its region (administrators everywhere)
/// resolve or dismiss it with an outcome before its time limit. Every write is audited and
/// tells the people concerned through their inbox, in the same transaction.
public struct ComplaintRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Days a complaint may stay open before it is overdue.
    public static let daysToHandle = 14
    /// The longest complaint text and outcome kept.
    public static let maximumTextLength = 2000
    /// The longest evidence note kept.
    public static let maximumEvidenceLength = 1000

    /// Raises a complaint about a subject `principal` can see (a match in their reach, an
    /// offer they may read or another charity's open offer, any charity for staff and their
    /// own for charity staff); a subject out of sight is ``StoreError/notFound(entity:id:)``
    /// like a missing one. `delivery_disputed` is opened only by disputing a receipt.
    public func raise(
        _ draft: ComplaintDraft, by principal: Principal, idempotency: IdempotencyClaim? = nil
    ) async throws -> ComplaintRecord {
        try principal.authorize(.raiseComplaint)
        guard draft.category != .deliveryDisputed else {
            throw StoreError.invalid(
                field: "category", reason: "delivery_disputed is opened by disputing a delivery's receipt")
        }
        let text = try requiredText(
            draft.text, field: "text", maxLength: Self.maximumTextLength, rule: .multiLine)
        let evidence = try optionalText(
            draft.evidenceNote, field: "evidence_note", maxLength: Self.maximumEvidenceLength, rule: .multiLine)
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let (charity, householdRegion) = try Self.concerned(draft.subject, visibleTo: principal, on: connection)
            let record = try Self.open(
                subject: draft.subject, charity: charity, region: householdRegion, category: draft.category,
                text: text, evidenceNote: evidence, by: principal, on: connection)
            try idempotency?.complete(.init(entity: .complaint, id: record.id, created: true), on: connection)
            return record
        }
    }

    /// The complaints `principal` reaches, newest first: coordinators those of their region
    /// and those they raised, charity staff those they raised or about their charity, others
    /// those they raised; administrators all.
    public func list(
        _ filter: ComplaintFilter = ComplaintFilter(), for principal: Principal,
        page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<ComplaintRecord, Int64> {
        try principal.authorize(.readComplaints)
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(ComplaintRecord.columns) FROM complaints c
             WHERE \(Self.readable)
               AND ($5::text IS NULL OR c.status = $5::text)
               AND (NOT $6::boolean OR (c.status = 'open' AND c.due_at < now()))
               AND ($7::bigint IS NULL OR c.id < $7::bigint)
             ORDER BY c.id DESC LIMIT $8
            """,
            Self.reader(principal) + [filter.status?.rawValue, filter.overdueOnly, page.after, limit + 1])
        return Page(fetched: try rows.map(ComplaintRecord.init(row:)), limit: limit) { $0.id }
    }

    /// One complaint if `principal` reaches it (as ``list(_:for:page:)``), else nil.
    public func complaint(id: Int64, visibleTo principal: Principal) async throws -> ComplaintRecord? {
        try principal.authorize(.readComplaints)
        return try await client.query(
            "SELECT \(ComplaintRecord.columns) FROM complaints c WHERE \(Self.readable) AND c.id = $5",
            Self.reader(principal) + [id]
        ).first.map(ComplaintRecord.init(row:))
    }

    /// Closes an open complaint of the handler's region as `resolution` (resolved or
    /// dismissed) with its `outcome` (required); the raiser and the charity are told.
    public func resolve(
        complaint id: Int64, as resolution: ComplaintStatus, outcome: String, by principal: Principal,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> ComplaintRecord {
        try principal.authorize(.handleComplaint)
        guard resolution != .open else {
            throw StoreError.invalid(field: "resolution", reason: "must be resolved or dismissed")
        }
        let outcome = try requiredText(
            outcome, field: "outcome", maxLength: Self.maximumTextLength, rule: .multiLine)
        return try await client.withTransaction { connection in
            let locked = try connection.query(
                """
                SELECT \(ComplaintRecord.columns) FROM complaints c
                 WHERE c.id = $1 AND ($2::text = 'admin' OR ($2::text = 'coordinator' AND starts_with(c.region_code, $3)))
                   FOR UPDATE
                """, [id, principal.role.rawValue, principal.regionLimit?.prefix])
            guard let current = try locked.first.map(ComplaintRecord.init(row:)) else {
                throw StoreError.notFound(entity: .complaint, id: String(id))
            }
            guard current.status == .open else {
                throw StoreError.invalidTransition(
                    entity: .complaint, id: String(id), from: current.status.rawValue, action: "handled again")
            }
            try idempotency?.begin(on: connection)
            let rows = try connection.query(
                """
                UPDATE complaints c SET status = $2, outcome = $3, handled_by = $4, handled_at = now()
                 WHERE c.id = $1 RETURNING \(ComplaintRecord.columns)
                """, [id, resolution.rawValue, outcome, principal.userID])
            let record = try ComplaintRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "complaint.\(resolution.rawValue)",
                entityType: "complaint", entityID: String(id),
                details: ["charity": String(record.charityID), "category": record.category.rawValue])
            let details = ["complaint": "#\(id)", "outcome": resolution.rawValue]
            if let raiser = record.raisedBy {
                try Inbox.post(
                    on: connection, to: .user(raiser), kind: "complaint.\(resolution.rawValue)",
                    entityType: "complaint", entityID: String(id), details: details)
            }
            try Inbox.post(
                on: connection, to: .charity(record.charityID), kind: "complaint.\(resolution.rawValue)",
                entityType: "complaint", entityID: String(id), details: details)
            try idempotency?.complete(.init(entity: .complaint, id: id, created: false), on: connection)
            return record
        }
    }

    /// Open and total complaints about `charity`: public, like its delivered figures.
    public func count(aboutCharity charity: Int64) async throws -> ComplaintCount {
        let row = try await client.query(
            """
            SELECT count(*) FILTER (WHERE status = 'open') AS open, count(*) AS total
              FROM complaints WHERE charity_id = $1
            """, [charity])[0]
        return ComplaintCount(open: try row.decode(Int.self, "open"), total: try row.decode(Int.self, "total"))
    }

    /// Writes a complaint and its audit row on `connection`, and tells the coordinators of its
    /// region: the one door of hand-raised complaints and of disputed receipts. The region is
    /// `region` (the household's, for a match), else the raiser's, else the charity's.
    static func open(
        subject: ComplaintSubject, charity: Int64, region: String?, category: ComplaintCategory, text: String,
        evidenceNote: String?, by principal: Principal, on connection: PostgresConnection
    ) throws -> ComplaintRecord {
        let rows = try connection.query(
            """
            INSERT INTO complaints AS c (subject_type, match_id, offer_id, charity_id, category, body, evidence_note,
                                         raised_by, raised_role, region_code, due_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                    coalesce($10::text, (SELECT region_code FROM users WHERE id = $8),
                             (SELECT region_code FROM charities WHERE id = $4)),
                    now() + make_interval(days => $11::integer))
            RETURNING \(ComplaintRecord.columns)
            """,
            [
                subject.kind.rawValue, subject.kind == .match ? subject.id : nil,
                subject.kind == .offer ? subject.id : nil, charity, category.rawValue, text, evidenceNote,
                principal.userID, principal.role.rawValue, region, Self.daysToHandle,
            ])
        let record = try ComplaintRecord(row: rows[0])
        try AuditTrail.record(
            on: connection, actor: principal.actor, action: "complaint.raise", entityType: "complaint",
            entityID: String(record.id),
            details: [
                "subject": "\(subject.kind.rawValue) \(subject.id)", "charity": String(charity),
                "category": category.rawValue,
            ])
        if let place = record.regionCode {
            try Inbox.post(
                on: connection, to: .staff(role: .coordinator, region: place), kind: "complaint.raised",
                entityType: "complaint", entityID: String(record.id),
                details: ["complaint": "#\(record.id)", "category": category.rawValue])
        }
        return record
    }

    /// The charity a subject concerns and, for a match, the household's region, if
    /// `principal` can see the subject; else ``StoreError/notFound(entity:id:)``.
    private static func concerned(
        _ subject: ComplaintSubject, visibleTo principal: Principal, on connection: PostgresConnection
    ) throws -> (charity: Int64, region: String?) {
        let missing = StoreError.notFound(entity: subject.kind, id: String(subject.id))
        switch subject {
        case .match(let id):
            guard try MatchRepository.lockedMatch(id, within: .reach(of: principal), on: connection) != nil else {
                throw missing
            }
            let row = try connection.query(
                """
                SELECT o.charity_id, h.region_code FROM matches m JOIN offers o ON o.id = m.offer_id
                  JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.id = $1
                """, [id])[0]
            return (try row.decode(Int64.self, "charity_id"), try row.decode(String.self, "region_code"))
        case .offer(let id):
            let rows = try connection.query(
                """
                SELECT o.charity_id FROM offers o
                 WHERE o.id = $1
                   AND CASE WHEN $2::bigint IS NOT NULL THEN o.charity_id = $2::bigint OR o.status = 'open'
                            WHEN $3::text IS NULL THEN true
                            WHEN cardinality(o.service_region_prefixes) = 0 THEN o.radius_km IS NOT NULL
                            ELSE EXISTS (SELECT 1 FROM unnest(o.service_region_prefixes) p
                                          WHERE starts_with(p, $3::text) OR starts_with($3::text, p)) END
                """,
                [id, principal.role == .charity ? principal.charityID ?? -1 : nil, principal.regionLimit?.prefix])
            guard let row = rows.first else { throw missing }
            return (try row.decode(Int64.self, "charity_id"), nil)
        case .charity(let id):
            let ownOnly = principal.role == .charity ? principal.charityID ?? -1 : nil
            guard ownOnly == nil || ownOnly == id,
                !(try connection.query("SELECT 1 FROM charities WHERE id = $1", [id]).isEmpty)
            else { throw missing }
            return (id, nil)
        }
    }

    /// "The reader reaches complaint `c`", over `$1` user, `$2` role, `$3` region prefix,
    /// `$4` charity (``reader(_:)``).
    private static let readable = """
        ($2::text = 'admin' OR c.raised_by = $1::bigint
         OR ($2::text = 'coordinator' AND starts_with(c.region_code, $3::text))
         OR ($2::text = 'charity' AND c.charity_id = $4::bigint))
        """

    private static func reader(_ principal: Principal) -> [(any PostgresEncodable)?] {
        [principal.userID, principal.role.rawValue, principal.regionLimit?.prefix, principal.charityID]
    }
}
