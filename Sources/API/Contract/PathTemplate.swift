import Foundation

/// An OpenAPI path such as `/v1/offers/{id}`, split into segments for matching concrete request paths.
///
/// Only whole-segment parameters (`{id}`) are supported; the project's contract uses no others.
struct PathTemplate: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    init(_ template: String) {
        segments = template.split(separator: "/", omittingEmptySubsequences: false).map { part in
            if part.count > 2, part.hasPrefix("{"), part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    /// Splits a concrete path into percent-decoded segments, ignoring any query string; `nil` when malformed.
    static func decodedSegments(of path: String) -> [String]? {
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var decoded: [String] = []
        for part in pathOnly.split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = String(part).removingPercentEncoding else { return nil }
            decoded.append(segment)
        }
        return decoded
    }

    /// The parameter values when the decoded segments fit this template, else `nil`.
    func match(_ decoded: [String]) -> [String: String]? {
        guard decoded.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, value) in zip(segments, decoded) {
            switch segment {
            case .literal(let text):
                guard text == value else { return nil }
            case .parameter(let name):
                guard !value.isEmpty else { return nil }
                values[name] = value
            }
        }
        return values
    }

    /// Whether this template should win over `other` when both match: the first segment where one has a literal
    /// and the other a parameter decides, so `/matches/export` beats `/matches/{id}`.
    func isMoreSpecific(than other: PathTemplate) -> Bool {
        for (mine, theirs) in zip(segments, other.segments) {
            switch (mine, theirs) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}
