import Matching
import Postgres

/// A reader of transfers as SQL parameters: `$1` their region's prefix (NULL: none), `$2`
/// their charity, `$3` the direction asked for.
struct TransferReader {
    var prefix: String?
    var charity: Int64?

    init(_ principal: Principal) throws(StoreError) {
        if principal.role == .charity {
            guard let charity = principal.charityID else {
                throw .forbidden(role: principal.role.rawValue, action: .readTransfers, scope: nil)
            }
            self.charity = charity
        } else {
            prefix = principal.regionLimit?.prefix
        }
    }

    func parameters(direction: TransferDirection?) -> [(any PostgresEncodable)?] {
        [prefix, charity, direction?.rawValue]
    }

    /// Charities see the referrals sent to them; offices what they sent and the households sent
    /// to a township they cover; administrators everything.
    static let visible = """
        (CASE WHEN $2::bigint IS NOT NULL
              THEN t.to_charity_id = $2::bigint AND coalesce($3::text, 'incoming') = 'incoming'
              ELSE (coalesce($3::text, 'outgoing') = 'outgoing' AND t.from_region LIKE coalesce($1::text, '') || '%')
                   OR (coalesce($3::text, 'incoming') = 'incoming'
                       AND (($1::text IS NULL AND t.to_charity_id IS NOT NULL)
                            OR (t.kind = 'household' AND length(coalesce($1::text, '')) <= 9
                                AND t.to_region LIKE coalesce($1::text, '') || '%')))
         END)
        """
}
