import Foundation

/// Why an offer cannot serve a need. Every reason that applies is reported, because the
/// list is what a caseworker reads when asking "why did this household get nothing?".
public enum IneligibilityReason: Sendable, Hashable, CustomStringConvertible {
    /// The offer is for another category (neither the need's nor its group's).
    case categoryMismatch
    /// The household is outside every listed region and outside the circle.
    case outsideServiceArea
    /// The offer opens after the run.
    case notYetAvailable
    /// The offer closed before the run.
    case offerExpired
    /// Nothing left to give.
    case noCapacity
    /// The household holds none of the assistance statuses the offer is for.
    case assistanceStatusNotEligible
    /// The household lacks flags the offer requires.
    case missingFlags([VulnerabilityFlag])
    /// No member is in the offer's age range.
    case noMemberInAgeRange
    /// The household's size is outside the offer's range.
    case householdSizeOutOfRange
    /// The charity is suspended or banned, everywhere or where the household lives.
    case charityNotActive
    /// The household has not consented (or withdrew) to share data with charities.
    case consentMissing
    /// The household already received aid in this category inside the look-back window.
    case duplicateAid
    /// This pair was rejected, declined or expired inside the cool-down, and no coordinator
    /// cleared it: proposing it again would ask the same people the same question.
    case refusedRecently

    /// A stable code for APIs and stored explanations.
    public var code: String {
        switch self {
        case .categoryMismatch: "category_mismatch"
        case .outsideServiceArea: "outside_service_area"
        case .notYetAvailable: "not_yet_available"
        case .offerExpired: "offer_expired"
        case .noCapacity: "no_capacity"
        case .assistanceStatusNotEligible: "assistance_status_not_eligible"
        case .missingFlags: "missing_flags"
        case .noMemberInAgeRange: "no_member_in_age_range"
        case .householdSizeOutOfRange: "household_size_out_of_range"
        case .charityNotActive: "charity_not_active"
        case .consentMissing: "consent_missing"
        case .duplicateAid: "duplicate_aid"
        case .refusedRecently: "refused_recently"
        }
    }

    public var description: String {
        switch self {
        case .missingFlags(let flags): "\(code): \(flags.map(\.rawValue).sorted().joined(separator: ", "))"
        default: code
        }
    }
}

/// The verdict on one (need, household, offer) pair.
public enum Eligibility: Sendable, Equatable {
    case eligible(CategoryFit)
    case ineligible([IneligibilityReason])

    /// Checks every rule and collects every failure, in a fixed order.
    public static func evaluate(
        need: Need,
        household: Household,
        offer: Offer,
        context: MatchingContext
    ) -> Eligibility {
        var reasons: [IneligibilityReason] = []
        let fit = context.categoryFit(need: need.categoryID, offer: offer.categoryID)
        if fit == .none { reasons.append(.categoryMismatch) }
        if !offer.serviceArea.covers(region: household.region, location: household.location) {
            reasons.append(.outsideServiceArea)
        }
        if offer.availableFrom > context.now { reasons.append(.notYetAvailable) }
        if let until = offer.availableUntil, until <= context.now { reasons.append(.offerExpired) }
        if offer.remainingCapacity <= 0 { reasons.append(.noCapacity) }
        reasons += householdReasons(household, rules: offer.eligibility)
        if !offer.charity.isActive(at: context.now) || offer.charity.isSuspended(in: household.region) {
            reasons.append(.charityNotActive)
        }
        if !household.consent.isOnFile(at: context.now) { reasons.append(.consentMissing) }
        let fitCategories: Set<Int64> = [need.categoryID, offer.categoryID]
        if context.recentAid(of: household.id).contains(where: { fitCategories.contains($0.categoryID) }) {
            reasons.append(.duplicateAid)
        }
        if context.wasRefusedRecently(need: need.id, offer: offer.id) { reasons.append(.refusedRecently) }
        return reasons.isEmpty ? .eligible(fit) : .ineligible(reasons)
    }

    private static func householdReasons(_ household: Household, rules: EligibilityRules) -> [IneligibilityReason] {
        var reasons: [IneligibilityReason] = []
        if !rules.statuses.isEmpty, rules.statuses.isDisjoint(with: household.statuses) {
            reasons.append(.assistanceStatusNotEligible)
        }
        let missing = rules.requiredFlags.subtracting(household.flags)
        if !missing.isEmpty { reasons.append(.missingFlags(missing.sorted { $0.rawValue < $1.rawValue })) }
        if let ages = rules.memberAges, !household.memberAges.contains(where: ages.contains) {
            reasons.append(.noMemberInAgeRange)
        }
        if let sizes = rules.householdSize, !sizes.contains(household.size) {
            reasons.append(.householdSizeOutOfRange)
        }
        return reasons
    }
}
