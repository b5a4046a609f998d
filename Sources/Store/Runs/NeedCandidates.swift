import Foundation
import Matching

/// A caseworker's answer to "which offers fit this need, and why not the others?": the
/// offers a matching run would pair with the need, scored as the run would score them, and
/// optionally every other open offer of the need's kind with every reason it does not fit.
public struct NeedCandidates: Sendable, Equatable, Codable {
    public var need: NeedRecord
    /// Units still unmatched: the quantity less what is delivered and what live matches hold.
    public var openQuantity: Int
    public var policyName: String
    public var policyVersion: Int
    /// The instant eligibility and scores were judged at.
    public var asOf: Date
    /// Offers that could serve the need, best first (score descending, then offer id), at
    /// most the limit asked for.
    public var ranked: [RankedCandidate]
    /// How many offers could serve the need, before the limit.
    public var eligibleCount: Int
    /// The other open offers of the need's category, its group and the group's other
    /// categories, by offer id; empty unless asked for.
    public var ineligible: [ExcludedOffer]
}

/// One offer that could serve the need, with the score a run would give the pair.
public struct RankedCandidate: Sendable, Equatable, Codable {
    public var offerID: Int64
    public var offerTitle: String
    public var charityID: Int64
    public var charityName: String
    /// Units the offer has left: capacity less reservations and pending proposals.
    public var remaining: Int
    /// What could be given: the need's open quantity or the offer's remaining units, the smaller.
    public var units: Int
    /// The same factors, weights and sum a matching run stores with its proposal.
    public var breakdown: ScoreBreakdown
}

/// An open offer that cannot serve the need, and every reason why.
public struct ExcludedOffer: Sendable, Equatable, Codable {
    /// One reason: a stable code to switch on and a sentence to show.
    public struct Reason: Sendable, Equatable, Codable {
        /// The engine's ``IneligibilityReason/code`` (`outside_service_area`, …), or one of
        /// `already_matched`, `need_not_open`, `need_fully_covered`, `need_referred`.
        public var code: String
        public var message: String

        init(code: String, message: String) {
            self.code = code
            self.message = message
        }

        /// The engine's reason in words, with the duplicate-aid window and the cool-down of
        /// the `context` the pair was judged in.
        init(_ reason: IneligibilityReason, context: MatchingContext) {
            code = reason.code
            message =
                switch reason {
                case .categoryMismatch: "The offer is for another category than the need's or its group's."
                case .outsideServiceArea: "The household lives outside the offer's service area."
                case .notYetAvailable: "The offer is not available yet."
                case .offerExpired: "The offer is no longer available."
                case .noCapacity: "The offer has no units left."
                case .assistanceStatusNotEligible:
                    "The offer is for households with an assistance status this household does not hold."
                case .missingFlags(let flags):
                    "The offer requires circumstances the household does not have: "
                        + flags.map(\.rawValue).sorted().joined(separator: ", ") + "."
                case .noMemberInAgeRange: "No member of the household is in the offer's age range."
                case .householdSizeOutOfRange: "The household's size is outside the offer's range."
                case .charityNotActive: "The charity is suspended or banned."
                case .consentMissing:
                    "The household has not consented, or has withdrawn consent, to share its needs with charities."
                case .duplicateAid:
                    "The household already received aid of this category in the last \(context.lookBackDays) days."
                case .refusedRecently:
                    "This offer was rejected, declined or expired for this need in the last \(context.coolDownDays) "
                        + "days; a coordinator can clear the cool-down."
                }
        }

        /// The need and this offer already have a proposed, approved or accepted match.
        static let alreadyMatched = Reason(
            code: "already_matched", message: "The need already has a live match on this offer.")

        /// Live matches already hold all the need's open units.
        static let needFullyCovered = Reason(
            code: "need_fully_covered", message: "Live matches already cover the need's whole quantity.")

        /// A charity has taken the need on by an accepted referral (转介): runs leave it out.
        static let needReferred = Reason(
            code: "need_referred", message: "A charity has taken the need on by a referral; it is not matched.")

        /// The need is not open, so no run pairs it with anything.
        static func needNotOpen(_ status: NeedStatus) -> Reason {
            Reason(code: "need_not_open", message: "The need is \(status.rawValue); only open needs are matched.")
        }
    }

    public var offerID: Int64
    public var offerTitle: String
    public var charityID: Int64
    public var charityName: String
    public var reasons: [Reason]
}
