import Foundation
import Hummingbird

/// A `multipart/form-data` body as a browser sends a form with a file input (RFC 7578):
/// the text fields and the files, by field name. Only what the dashboard's upload form
/// sends is understood; anything else (no boundary, a part without a name, a body past
/// the cap) is refused as a whole.
struct MultipartForm: Sendable {
    /// Why a body is not a form this dashboard can read.
    enum Refusal: Error, Equatable {
        case notMultipart
        case tooLarge
        case malformed
    }

    /// A roll for a township runs to a few thousand rows, well under a megabyte; larger
    /// files go through the API or the command line, which stream them.
    static let maximumBytes = 8 << 20

    private(set) var fields: [String: String] = [:]
    private(set) var files: [String: [UInt8]] = [:]

    subscript(name: String) -> String? { fields[name] }

    /// Reads and parses the request's body, refusing it past ``maximumBytes``.
    static func read(_ request: Request) async throws -> MultipartForm {
        guard let boundary = boundary(request.headers[.contentType]) else { throw Refusal.notMultipart }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBytes {
            throw Refusal.tooLarge
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBytes)
        } catch {
            throw Refusal.tooLarge
        }
        return try MultipartForm(body: Array(buffer: buffer), boundary: boundary)
    }

    /// The boundary a `Content-Type` names, when it is `multipart/form-data`.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = String(part.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    init(body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        guard var start = Self.find(delimiter, in: body, from: 0) else { throw Refusal.malformed }
        start += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[start...].starts(with: Array("--".utf8)) { return }
            guard body[start...].starts(with: Self.lineEnd) else { throw Refusal.malformed }
            let partStart = start + 2
            guard let next = Self.find(Self.lineEnd + delimiter, in: body, from: partStart) else {
                throw Refusal.malformed
            }
            try add(part: Array(body[partStart..<next]))
            start = next + 2 + delimiter.count
        }
    }

    private static let lineEnd = Array("\r\n".utf8)

    private mutating func add(part: [UInt8]) throws {
        guard let split = Self.find(Self.lineEnd + Self.lineEnd, in: part, from: 0) else { throw Refusal.malformed }
        let head = String(decoding: part[..<split], as: UTF8.self)
        let content = Array(part[(split + 4)...])
        var name: String?
        var isFile = false
        for line in head.components(separatedBy: "\r\n")
        where line.lowercased().hasPrefix("content-disposition:") {
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard pair.count == 2 else { continue }
                let value =
                    pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                    ? String(pair[1].dropFirst().dropLast()) : pair[1]
                switch pair[0].lowercased() {
                case "name": name = value
                case "filename": isFile = true
                default: break
                }
            }
        }
        guard let name else { throw Refusal.malformed }
        if isFile { files[name] = content } else { fields[name] = String(decoding: content, as: UTF8.self) }
    }

    /// The offset of the first `needle` in `haystack` at or after `from`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = from
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
