import Foundation
import Testing

@testable import API

@Suite("Hand-written JSON")
struct JSONWriterTests {
    @Test func stringsAndTimesReadBackAsJSONEncoderWouldWriteThem() throws {
        let texts = ["plain", "引号\"和\\反斜杠", "line\nbreak\ttab\r", "\u{01}\u{1F}控制", "🙂 emoji", ""]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        for (index, text) in texts.enumerated() {
            let date = Date(timeIntervalSince1970: 1_795_651_200 + Double(index) * 86_399.75)
            var writer = JSONWriter()
            writer.object { json in
                json.field("text", text)
                json.field("at", date)
                json.field("n", Int64(-42))
                json.field("raw", json: #"{"a":[1,2.5]}"#)
            }
            let parsed = try JSONValue(parsing: writer.bytes)
            #expect(parsed["text"]?.stringValue == text)
            let expected = String(decoding: try encoder.encode([date]), as: UTF8.self).dropFirst(2).dropLast(2)
            #expect(parsed["at"]?.stringValue == String(expected))
            #expect(parsed["n"] == .integer(-42))
            #expect(parsed["raw"]?["a"] == .array([.integer(1), .number(2.5)]))
        }
    }
}
