import Foundation
import Matching
import Store

/// The household form as a caseworker filled it in, for registering a household or
/// correcting one: every value kept as typed, so a refused form comes back as it was sent,
/// and the refusals by field. The Store checks everything (the roll's rules, the ID
/// number's check character); the form only turns text into the Store's inputs.
struct HouseholdForm: Sendable {
    var caseNumber = ""
    /// Typed by the caseworker and sent back to them only; never logged, never stored.
    var idNumber = ""
    var headName = ""
    var regionCode = ""
    var members = "1"
    var statuses: Set<String> = []
    var flags: Set<String> = []
    var contactPhone = ""
    var address = ""
    var consentScope = ""
    /// Members' birth dates, `yyyy-mm-dd` separated by semicolons or spaces.
    var birthDates = ""
    /// Why the household changed; required by the Store when its assistance changes.
    var reason = ""
    /// The version the edit form was read at.
    var version = ""
    /// Text keys of the refusals, by form field; `form` for the form as a whole.
    var errors: [String: String] = [:]

    init() {}

    init(_ form: HTMLForm) {
        let value = { (name: String) in form[name] ?? "" }
        caseNumber = value("case_number")
        idNumber = value("id_number")
        headName = value("head_name")
        regionCode = value("region_code")
        members = value("members")
        statuses = Set(form.all("status"))
        flags = Set(form.all("flag"))
        contactPhone = value("contact_phone")
        address = value("address")
        consentScope = value("consent_scope")
        birthDates = value("member_birth_dates")
        reason = value("reason")
        version = value("version")
    }

    /// The form filled with a stored household, for editing it.
    init(_ household: HouseholdRecord) {
        caseNumber = household.caseNumber
        headName = household.contactName ?? ""
        regionCode = household.regionCode
        members = String(household.members)
        statuses = Set(household.assistanceStatuses.map(\.rawValue))
        flags = Set(household.vulnerabilityFlags.map(\.rawValue))
        contactPhone = household.contactPhone ?? ""
        address = household.address ?? ""
        birthDates = household.memberBirthDates.joined(separator: "; ")
        version = String(household.version)
    }

    /// The order the form lists statuses in (the roll's), so choices keep their place.
    static var statusCodes: [String] { AssistanceStatus.allCases.map(\.rawValue) }
    static var flagCodes: [String] { VulnerabilityFlag.allCases.map(\.rawValue) }

    /// The registration when the numbers parse; nil with ``errors`` filled otherwise.
    mutating func registration(consentDay: String) -> HouseholdRegistration? {
        guard let members = memberCount() else { return nil }
        let consent = consentScope.trimmingCharacters(in: .whitespacesAndNewlines)
        return HouseholdRegistration(
            caseNumber: caseNumber, idNumber: idNumber.uppercased(), headName: headName, regionCode: regionCode,
            members: members, assistanceStatuses: Self.statusCodes.filter(statuses.contains),
            vulnerabilityFlags: Self.flagCodes.filter(flags.contains), contactPhone: contactPhone, address: address,
            consentGivenAt: consent.isEmpty ? nil : consentDay, consentScope: consent.isEmpty ? nil : consent)
    }

    /// The changes and the version they were made at; nil with ``errors`` filled otherwise.
    mutating func changes() -> (HouseholdChanges, version: Int)? {
        let members = memberCount()
        let version = Int(self.version)
        if version == nil { errors["form"] = "error.householdVersion" }
        guard let members, let version else { return nil }
        return (
            HouseholdChanges(
                members: members,
                memberBirthDates: birthDates.split(whereSeparator: { ";； ,".contains($0) }).map(String.init),
                assistanceStatuses: Self.statusCodes.filter(statuses.contains),
                vulnerabilityFlags: Self.flagCodes.filter(flags.contains), headName: headName,
                contactPhone: contactPhone, address: address, reason: reason),
            version
        )
    }

    private mutating func memberCount() -> Int? {
        guard let count = Int(members.trimmingCharacters(in: .whitespaces)), (1...99).contains(count) else {
            errors["members"] = "error.members"
            return nil
        }
        return count
    }

    /// Puts a Store refusal next to the field it concerns; false when it concerns none of
    /// them (the caller lets it propagate).
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid(let field, _):
            let fields = [
                "case_number": "error.caseNumber", "id_number": "error.idNumber", "region_code": "error.regionCode",
                "members": "error.members", "assistance_statuses": "error.statuses",
                "vulnerability_flags": "error.flags", "contact_phone": "error.phone", "head_name": "error.headName",
                "address": "error.address", "consent_scope": "error.consentScope",
                "consent_given_at": "error.consentScope", "member_birth_dates": "error.birthDates",
                "reason": "error.changeReason",
            ]
            guard let key = fields[field] else { return false }
            errors[field] = key
        case .conflict(.taken(.caseNumber, _)):
            errors["case_number"] = "error.caseNumberTaken"
        case .conflict(.taken(.idNumber, _)):
            errors["id_number"] = "error.idNumberTaken"
        case .versionMismatch:
            errors["form"] = "error.householdChangedMeanwhile"
        default:
            return false
        }
        return true
    }
}
