import Foundation
import Postgres

extension MatchRepository {
    /// How `charity` reaches the household of a match it is to deliver, or nil.
    ///
    /// Non-nil only when all of these hold now: the match is on one of `charity`'s offers;
    /// it is `approved` or `accepted` (a proposal is not yet the charity's business, and a
    /// delivered or ended match no longer is); and the household's consent to share is on
    /// file and not withdrawn (民发〔2023〕46号: nothing before consent). A missing match, another
    /// charity's, one in another state and one without consent all give the same nil.
    ///
    /// Needs the repository to have been made with a sealer; without one this is
    /// ``StoreError/invalid(field:reason:)`` naming `sealer`, a wiring mistake to fix at start-up.
    public func deliveryContact(match id: Int64, charity: Int64) async throws -> DeliveryContact? {
        try await deliveryContacts(matches: [id], charity: charity)[id]
    }

    /// ``deliveryContact(match:charity:)`` for a page of matches in one query, by match id;
    /// matches that give nothing are absent.
    public func deliveryContacts(matches ids: [Int64], charity: Int64) async throws -> [Int64: DeliveryContact] {
        guard let sealer else {
            throw StoreError.invalid(
                field: "sealer", reason: "is required to issue household references; create MatchRepository with one")
        }
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT m.id, n.household_id, h.contact_phone, h.address
              FROM matches m
              JOIN offers o ON o.id = m.offer_id
              JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
             WHERE m.id = ANY($1::bigint[]) AND o.charity_id = $2 AND m.status IN ('approved', 'accepted')
               AND h.consent_given_at <= now() AND h.consent_withdrawn_at IS NULL
            """, [ids.map { Int($0) }, charity])
        var contacts: [Int64: DeliveryContact] = [:]
        for row in rows {
            contacts[try row.decode(Int64.self, "id")] = DeliveryContact(
                householdReference: sealer.householdReference(
                    household: try row.decode(Int64.self, "household_id"), charity: charity),
                contactPhone: try row.decode(String?.self, "contact_phone"),
                address: try row.decode(String?.self, "address"))
        }
        return contacts
    }
}
