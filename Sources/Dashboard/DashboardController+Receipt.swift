import Foundation
import Hummingbird
import Matching
import Store

extension DashboardController {
    /// A match's 签收单: a page to print and have the receiver sign, for the charity whose
    /// offer it is, once it has accepted the match. It shows of the household only what the
    /// match card does (``MatchRepository/deliveryContact(match:charity:)``: with consent, and
    /// only while delivery is ahead); after delivery, what the charity recorded.
    @Sendable func matchReceipt(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.role == .charity, let charity = session.principal.charityID else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context),
            let match = try await matches.match(id: id, visibleTo: MatchFilter(charity: charity)),
            match.status == .accepted || match.status == .delivered
        else { return notFound(request, session) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let offer = try await offers.offer(id: match.offerID, charity: charity)
        let unit = Self.unitName(offer?.terms.unit, texts)
        var values: [String: Any] = [
            "id": String(match.id), "offer": offer?.terms.title ?? String(match.offerID),
            "charity": try await charities.charity(id: charity)?.name ?? String(charity),
            "category": offer.map { categoryName($0.categoryID, language) } ?? "", "units": "\(match.units) \(unit)",
        ]
        if let contact = try await matches.deliveryContact(match: match.id, charity: charity) {
            values["contact"] = [
                "reference": contact.householdReference, "phone": contact.contactPhone ?? "–",
                "address": contact.address ?? "–",
            ]
        }
        if let report = match.delivery {
            values["report"] = [
                "units": "\(report.units) \(unit)", "on": report.deliveredOn, "receivedBy": report.receivedBy ?? "–",
                "receiptCode": report.receiptCode ?? "–",
            ]
        }
        return render("receipt", values, title: (texts["receiptTitle"] ?? "") + " #\(match.id)", request, session)
    }
}
