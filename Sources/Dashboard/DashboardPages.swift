import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The templates and the style sheet, loaded once, and the page frame every view shares.
struct DashboardPages: Sendable {
    /// Why the bundled templates could not be used; the server does not start without them.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    let library: MustacheLibrary
    let css: String

    static func bundled() async throws -> DashboardPages {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw LoadError(description: "the dashboard templates are missing from the bundle")
        }
        do {
            let library = try await MustacheLibrary(directory: folder.path)
            let css = try String(contentsOf: folder.appendingPathComponent("style.css"), encoding: .utf8)
            return DashboardPages(library: library, css: css)
        } catch {
            throw LoadError(description: "the dashboard templates cannot be read: \(error)")
        }
    }

    /// What the frame needs besides the body.
    struct Frame {
        var title: String
        var language: DashboardLanguage
        var signedIn: SignedIn?
        /// The page's own path, to mark it in the navigation.
        var path: String
        /// The link that shows this same page, with its query, in the other language.
        var otherLanguageLink: String
        /// The confirmation of the action that led here, shown once.
        var notice: String?
    }

    struct SignedIn {
        var personName: String
        var roleLabel: String
        var placeName: String?
        var csrf: String
        var nav: [(href: String, label: String)]
        /// Unread messages in the person's inbox, counted on the header's link.
        var unread: Int
    }

    /// `template` rendered with `values` (plus the texts `t`) inside the frame, as a response.
    func page(
        _ template: String, _ values: [String: Any], frame: Frame, status: HTTPResponse.Status = .ok
    ) -> Response {
        let texts = DashboardText.strings(frame.language)
        var context = values
        context["t"] = texts
        if context["csrf"] == nil, let signedIn = frame.signedIn { context["csrf"] = signedIn.csrf }
        let body = library.render(context, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "t": texts, "title": frame.title, "lang": frame.language.rawValue, "css": css, "body": body,
            "otherLanguageLink": frame.otherLanguageLink,
        ]
        if let notice = frame.notice { layout["notice"] = notice }
        if let signedIn = frame.signedIn {
            var header: [String: Any] = [
                "personName": signedIn.personName, "roleLabel": signedIn.roleLabel, "csrf": signedIn.csrf,
                "nav": signedIn.nav.map { ["href": $0.href, "label": $0.label, "current": $0.href == frame.path] },
            ]
            // An administrator works for no place; an absent value, not a boxed nil ("nil").
            if let place = signedIn.placeName { header["placeName"] = place }
            if signedIn.unread > 0 { header["unread"] = String(signedIn.unread) }
            layout["signedIn"] = header
        }
        let html = library.render(layout, withTemplate: "layout") ?? ""
        var response = Response(
            status: status, headers: Self.securityHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        if frame.notice != nil { response.setCookie(DashboardNotice.shown) }
        return response
    }

    /// Pages load nothing from elsewhere and may not be framed: an intranet page with a
    /// session is a clickjacking target otherwise.
    static let securityHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "same-origin",
        .cacheControl: "no-store",
    ]
}

extension HTTPField.Name {
    static let xContentTypeOptions = constant("X-Content-Type-Options")
    static let referrerPolicy = constant("Referrer-Policy")

    /// A header name written in this file, so known to be valid.
    private static func constant(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("\(name) is not a header name") }
        return field
    }
}
