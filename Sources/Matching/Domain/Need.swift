import Foundation

/// One entry of the two-level aid taxonomy (物资/资金/服务 and their children).
public struct Category: Sendable, Equatable, Identifiable {
    public var id: Int64
    /// Stable code such as `material.grain_oil`.
    public var code: String
    /// The level-1 group a level-2 category belongs to; `nil` for a group.
    public var parentID: Int64?

    public init(id: Int64, code: String, parentID: Int64?) {
        self.id = id
        self.code = code
        self.parentID = parentID
    }
}

/// How well an offer's category serves a need's category.
public enum CategoryFit: Sendable, Equatable {
    /// The same category.
    case exact
    /// The offer is for the need's whole group (a general 物资 offer for a 粮油 need).
    case parent
    /// Anything else: not eligible.
    case none

    public init(need: Int64, offer: Int64, parentOfNeed: Int64?) {
        if need == offer {
            self = .exact
        } else if parentOfNeed == offer {
            self = .parent
        } else {
            self = .none
        }
    }
}

/// What a household needs, as a caseworker recorded it.
public struct Need: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var householdID: Int64
    public var categoryID: Int64
    /// Units asked for (≥ 1).
    public var quantity: Int
    /// 1 (can wait) … 5 (most urgent).
    public var urgency: Int
    /// 急难: an emergency that overrides the urgency scale.
    public var isEmergency: Bool
    public var neededBy: Date?
    public var recordedAt: Date

    public init(
        id: Int64,
        householdID: Int64,
        categoryID: Int64,
        quantity: Int,
        urgency: Int,
        isEmergency: Bool = false,
        neededBy: Date? = nil,
        recordedAt: Date
    ) {
        self.id = id
        self.householdID = householdID
        self.categoryID = categoryID
        self.quantity = quantity
        self.urgency = urgency
        self.isEmergency = isEmergency
        self.neededBy = neededBy
        self.recordedAt = recordedAt
    }
}

/// Aid a household already received, from government or a charity; the basis of the
/// duplicate-aid rule and of the fairness factor.
public struct AidRecord: Sendable, Equatable {
    public var householdID: Int64
    public var categoryID: Int64
    public var givenOn: Date
    public var units: Int

    public init(householdID: Int64, categoryID: Int64, givenOn: Date, units: Int) {
        self.householdID = householdID
        self.categoryID = categoryID
        self.givenOn = givenOn
        self.units = units
    }
}
