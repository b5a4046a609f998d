import Foundation
import Testing

@testable import Dashboard

@Suite("Multipart upload")
struct MultipartFormTests {
    static let boundary = "----formdata-abc123"

    static func body(_ parts: [(head: String, content: String)], closing: Bool = true) -> [UInt8] {
        var text = ""
        for part in parts { text += "--\(boundary)\r\n\(part.head)\r\n\r\n\(part.content)\r\n" }
        if closing { text += "--\(boundary)--\r\n" }
        return Array(text.utf8)
    }

    @Test func aFormWithAFileGivesItsFieldsAndTheFileAsSent() throws {
        let csv = "case_number,id_number\r\nA-1,3205\r\n\r\n--not-a-boundary\r\n"
        let form = try MultipartForm(
            body: Self.body([
                ("Content-Disposition: form-data; name=\"_csrf\"", "token-1"),
                ("Content-Disposition: form-data; name=\"file\"; filename=\"roll.csv\"\r\nContent-Type: text/csv", csv),
                ("Content-Disposition: form-data; name=\"partial\"", "on"),
            ]), boundary: Self.boundary)
        #expect(form["_csrf"] == "token-1" && form["partial"] == "on")
        #expect(form.files["file"] == Array(csv.utf8))
    }

    @Test func theBoundaryComesFromTheContentType() {
        #expect(MultipartForm.boundary("multipart/form-data; boundary=\(Self.boundary)") == Self.boundary)
        #expect(MultipartForm.boundary("multipart/form-data; boundary=\"quoted b\"") == "quoted b")
        #expect(MultipartForm.boundary("application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm.boundary("multipart/form-data") == nil)
        #expect(MultipartForm.boundary(nil) == nil)
    }

    @Test func aBrokenBodyIsRefusedAsAWhole() {
        let unclosed = Self.body([("Content-Disposition: form-data; name=\"a\"", "1")], closing: false)
        #expect(throws: MultipartForm.Refusal.malformed) {
            _ = try MultipartForm(body: unclosed, boundary: Self.boundary)
        }
        let nameless = Self.body([("Content-Disposition: form-data", "1")])
        #expect(throws: MultipartForm.Refusal.malformed) {
            _ = try MultipartForm(body: nameless, boundary: Self.boundary)
        }
        #expect(throws: MultipartForm.Refusal.malformed) {
            _ = try MultipartForm(body: Array("no parts at all".utf8), boundary: Self.boundary)
        }
        #expect(throws: MultipartForm.Refusal.malformed) {
            _ = try MultipartForm(body: Array("--\(Self.boundary)".utf8), boundary: Self.boundary)
        }
    }
}
