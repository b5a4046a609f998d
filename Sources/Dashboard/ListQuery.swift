import Foundation
import Hummingbird

/// The filters, search and page of a list page as its query carries them, so that the
/// previous and next links, and the language link, keep every other choice.
struct ListQuery: Sendable {
    /// The non-blank values of the names the page knows, in the order it lists them.
    let values: [(name: String, value: String)]
    /// 1-based; anything but a positive number is the first page.
    let page: Int

    init(_ request: Request, names: [String]) {
        let query = request.uri.queryParameters
        values = names.compactMap { name in
            let text = query[Substring(name)].map(String.init)?.trimmingCharacters(in: .whitespaces)
            guard let value = text, !value.isEmpty else { return nil }
            return (name, value)
        }
        page = query["page"].flatMap { Int(String($0)) }.flatMap { $0 >= 1 ? $0 : nil } ?? 1
    }

    subscript(name: String) -> String? { values.first { $0.name == name }?.value }

    /// `path` with the filters and `page`.
    func link(_ path: String, page: Int) -> String {
        let parts = values + (page > 1 ? [("page", String(page))] : [])
        guard !parts.isEmpty else { return path }
        return path + "?"
            + parts.map { "\($0.name)=\(Self.encoded($0.value))" }
            .joined(separator: "&")
    }

    /// RFC 3986's unreserved characters, the only ones a query value keeps as they are.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `text` made safe as one query parameter value.
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The `previous` and `next` links a list template shows, when there are such pages.
    func pageLinks(_ path: String, page: Int, pageCount: Int) -> [String: Any] {
        var links: [String: Any] = [:]
        if page > 1 { links["previous"] = link(path, page: min(page - 1, pageCount)) }
        if page < pageCount { links["next"] = link(path, page: page + 1) }
        return links
    }
}
