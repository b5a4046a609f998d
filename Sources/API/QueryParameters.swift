import Hummingbird
import Matching

/// Typed access to a request's query string; every bad value is a 400 naming the parameter.
struct QueryParameters {
    private let parameters: Hummingbird.Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = parameters[name[...]] else { return nil }
        guard value.count <= maxLength else {
            throw Problem.invalidParameter(name, "must have at most \(maxLength) characters")
        }
        return String(value)
    }

    func id(_ name: String) throws -> Int64? {
        guard let text = parameters[name[...]] else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw Problem.invalidParameter(name, "must be a positive whole number")
        }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters[name[...]] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.invalidParameter(
                name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func code<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T?
    where T.RawValue == String {
        guard let text = parameters[name[...]] else { return nil }
        guard let value = T(rawValue: String(text)) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem.invalidParameter(name, "must be one of: \(allowed)")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = parameters[name[...]] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem.invalidParameter(name, "must be true or false")
        }
    }

    /// A region prefix: 2, 4, 6, 9 or 12 digits of a region code.
    func region(_ name: String) throws -> RegionScope? {
        guard let text = parameters[name[...]] else { return nil }
        guard let scope = RegionScope(prefix: String(text)) else {
            throw Problem.invalidParameter(name, "must be a region prefix of 2, 4, 6, 9 or 12 digits, such as 320508")
        }
        return scope
    }
}

extension Request {
    var query: QueryParameters { QueryParameters(self) }
}
