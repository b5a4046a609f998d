import Foundation

/// What a charity may know of a household to deliver one match, and nothing more.
///
/// No name, case number, ID number, region code, statuses or flags: only how to reach the
/// household (the phone and the address its consent covers); the person answering the door
/// gives their name themselves. The household appears under ``householdReference``, a pseudonym that stays
/// the same for one charity (so its staff can tell repeat deliveries to one household
/// apart) and cannot be linked with the reference another charity sees.
public struct DeliveryContact: Sendable, Equatable, Codable {
    /// `HH-` and ten Crockford base-32 characters; see ``IDNumberSealer/householdReference(household:charity:)``.
    public var householdReference: String
    public var contactPhone: String?
    public var address: String?

    public init(householdReference: String, contactPhone: String?, address: String?) {
        self.householdReference = householdReference
        self.contactPhone = contactPhone
        self.address = address
    }
}
