import Foundation
import Hummingbird
import Matching
import Store

/// A weight policy version as the API shows it.
struct WeightPolicyResource: Encodable, Sendable {
    var id: Int64
    var name: String
    var version: Int
    var active: Bool
    /// The region whose runs use it: a 2, 4 or 6 digit prefix, "" for the national default.
    var region: String
    /// Normalised to sum 1, by factor name.
    var weights: [String: Double]
    var createdAt: Date

    init(_ stored: WeightPolicyRepository.Stored) {
        id = stored.id
        name = stored.policy.name
        version = stored.policy.version
        active = stored.active
        region = stored.region?.prefix ?? ""
        weights = Dictionary(uniqueKeysWithValues: stored.policy.weights.map { ($0.key.rawValue, $0.value) })
        createdAt = stored.createdAt
    }
}

/// The body of `POST /v1/weight-policies` and of a preview.
struct WeightPolicyInput: Decodable, Sendable {
    var name: String
    var weights: [String: Double]
    var description: String?
    /// Previews only: the region to try the weights on.
    var region: String?

    func factorWeights() throws -> [ScoreFactor: Double] {
        var result: [ScoreFactor: Double] = [:]
        var errors: [Problem.FieldError] = []
        for (key, value) in weights {
            guard let factor = ScoreFactor(rawValue: key) else {
                errors.append(.init(field: "/weights/\(key)", message: "is not a score factor"))
                continue
            }
            result[factor] = value
        }
        guard errors.isEmpty else { throw Problem.validation(errors.sorted { $0.field < $1.field }) }
        return result
    }
}

/// What a preview found: units per category under the weights tried and under the policy
/// runs use now, on the same data.
struct WeightPolicyPreview: Encodable, Sendable {
    var region: String
    var current: MatchingRunReport
    var trial: MatchingRunReport
    /// trial − current, by category code.
    var unitsDifference: [String: Int]
}

/// `/v1/weight-policies`: everyone who matches may read the policies; coordinators publish
/// new versions and preview weights before publishing them.
struct WeightPolicyController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("weight-policies", use: list)
        group.post("weight-policies", use: publish)
        group.post("weight-policies/preview", use: preview)
        group.get("weight-policies/{id}", use: show)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readWeightPolicies)
        let id = try context.pathID()
        guard let stored = try await services.policies.policy(id: id, bearingOn: principal.regionLimit) else {
            throw Problem.notFound("weight policy", String(id))
        }
        return try JSONResponse.make(WeightPolicyResource(stored))
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readWeightPolicies)
        return try JSONResponse.make(
            try await services.policies.list(bearingOn: principal.regionLimit).map(WeightPolicyResource.init))
    }

    @Sendable func publish(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.publishWeightPolicy)
        let input = try await services.body(WeightPolicyInput.self, request, context)
        let weights = try input.factorWeights()
        let region = try input.region.map { text in
            guard let code = RegionCode(text) else {
                throw Problem.validation([.init(field: "/region", message: "must be a 12-digit region code")])
            }
            return code.scope
        }
        let stored = try await services.policies.publish(
            name: input.name, weights: weights, description: input.description, region: region, by: principal,
            idempotency: context.idempotency)
        return try JSONResponse.make(WeightPolicyResource(stored), status: .created)
    }

    @Sendable func preview(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.previewWeightPolicy)
        let input = try await services.body(WeightPolicyInput.self, request, context)
        guard let text = input.region else {
            throw Problem.validation([.init(field: "/region", message: "is required for a preview")])
        }
        let region = try MatchRunController.region(text, within: principal.regionLimit)
        let trialPolicy: WeightPolicy
        do {
            trialPolicy = try WeightPolicy(name: input.name, version: 1, weights: try input.factorWeights())
        } catch let problem as WeightPolicy.Problem {
            throw Problem.validation([.init(field: "/weights", message: problem.description)])
        }
        let now = Date()
        let current = MatchingRunRequest(region: region, dryRun: true, actor: principal.actor, now: now)
        var trial = current
        trial.trialPolicy = trialPolicy
        // One after the other: each run already uses two connections of the pool.
        let before = try await services.runs.run(current).0
        let after = try await services.runs.run(trial).0
        let codes = Set(before.unitsByCategory.keys).union(after.unitsByCategory.keys)
        let difference = Dictionary(
            uniqueKeysWithValues: codes.map {
                ($0, (after.unitsByCategory[$0] ?? 0) - (before.unitsByCategory[$0] ?? 0))
            })
        return try JSONResponse.make(
            WeightPolicyPreview(region: region.digits, current: before, trial: after, unitsDifference: difference))
    }
}
