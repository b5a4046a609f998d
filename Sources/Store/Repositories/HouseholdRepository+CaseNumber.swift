import Foundation
import Matching
import Postgres

extension HouseholdRepository {
    /// The household with this external case number, or nil when there is none or it lies
    /// outside `scope`, the same as a missing one.
    ///
    /// Caseworkers know households by the case number of the government roll, not by our
    /// ids, so forms that name a household accept it.
    public func household(caseNumber: String, within scope: RegionScope? = nil) async throws -> HouseholdRecord? {
        try await client.query(
            """
            SELECT \(HouseholdRecord.columns) FROM households h
             WHERE h.case_number = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
            """, [caseNumber, scope?.prefix]
        ).first.map(HouseholdRecord.init(row:))
    }
}
