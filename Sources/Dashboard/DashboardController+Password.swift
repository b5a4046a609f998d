import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Sign-in with a login and a password, and the replacement of a password an administrator
/// set. The Store counts wrong passwords and locks the account; the page answers every
/// refusal in the same words, so it never tells whether a login exists.
extension DashboardController {
    /// A password sign-in posted from the sign-in form (its double-submit token checked).
    func passwordSignIn(_ request: Request, _ form: HTMLForm) async throws -> Response {
        let login = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let kept: [String: Any] = ["login": login]
        switch try await sessions.open(login: login, password: form["password"] ?? "", lifetime: Self.sessionLifetime)
        {
        case .signedIn(let secret, let session):
            return Self.signedIn(secret: secret, session)
        case .mustChangePassword:
            return try await signInPage(request, error: nil, status: .ok, template: "new-password", extra: kept)
        case .refused:
            return try await signInPage(request, error: "passwordRejected", status: .unauthorized, extra: kept)
        }
    }

    /// `POST /dashboard/sign-in/new-password`: the current password once more and the new
    /// one twice; a session opens when the Store accepts the new one.
    @Sendable func replacePassword(_ request: Request, context: Context) async throws -> Response {
        let form = try await HTMLForm.read(request)
        let login = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let kept: [String: Any] = ["login": login]
        guard let expected = request.cookies[Self.signInCookie]?.value, form["_csrf"] == expected else {
            return try await signInPage(
                request, error: "csrfRejected", status: .forbidden, template: "new-password", extra: kept)
        }
        let texts = DashboardText.strings(Self.language(request))
        let newPassword = form["new_password"] ?? ""
        guard newPassword == form["repeat_password"] else {
            var values = kept
            values["errors"] = ["repeat_password": texts["passwordsDiffer"] ?? ""]
            return try await signInPage(
                request, error: nil, status: .unprocessableContent, template: "new-password", extra: values)
        }
        do {
            let outcome = try await sessions.open(
                login: login, password: form["password"] ?? "", newPassword: newPassword,
                lifetime: Self.sessionLifetime)
            guard case .signedIn(let secret, let session) = outcome else {
                return try await signInPage(
                    request, error: "passwordRejected", status: .unauthorized, template: "new-password", extra: kept)
            }
            return Self.signedIn(secret: secret, session)
        } catch StoreError.invalid(let field, let reason) {
            var values = kept
            values["errors"] = [field: Self.fieldMessage(field, reason, texts)]
            return try await signInPage(
                request, error: nil, status: .unprocessableContent, template: "new-password", extra: values)
        }
    }
}
