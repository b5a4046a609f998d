extension WeightPolicyRepository {
    /// What a policy name may be, as the database's CHECK has it and `openapi.yaml` states:
    /// a lower-case ASCII identifier (`standard`, `winter-2026`). A name is what `--policy`,
    /// `?policy=` and every run record refer to, so it stays easy to type and compare;
    /// wording for people, in Chinese or any language, belongs in the description.
    public static let namePattern = "^[a-z0-9][a-z0-9._-]{0,99}$"

    /// Refuses a name the database would refuse, naming the field, before any SQL runs.
    static func checkName(_ name: String) throws(StoreError) {
        guard name.wholeMatch(of: /[a-z0-9][a-z0-9._\-]{0,99}/) != nil else {
            throw .invalid(
                field: "name",
                reason: "must be a lower-case identifier of letters a-z, digits, '.', '_' or '-', "
                    + "such as winter-2026 (at most 100 characters)")
        }
    }
}
