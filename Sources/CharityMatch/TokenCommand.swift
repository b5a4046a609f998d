import ArgumentParser
import Foundation
import Postgres
import Store

/// `charity-match token create|revoke`: bearer tokens for the API. A token is printed
/// once, when it is made; the database keeps only its hash.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create or revoke API bearer tokens.",
        subcommands: [Create.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new token for the account --login names (created with this role and scope if new).")

        @Option(help: "admin, coordinator, caseworker or charity.")
        var role: UserRole

        @Option(help: "Coordinators and caseworkers: the 12-digit region code they work in.")
        var region: String?

        @Option(help: "Charity staff: the charity's id.")
        var charity: Int64?

        @Option(help: "The person's name, as shown in the audit trail.")
        var name: String

        @Option(help: "Login of the account; default: derived from role and a random suffix.")
        var login: String?

        @Option(help: "Days until the token expires; default: never.")
        var days: Int?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if let days, !(1...3650).contains(days) {
                throw ValidationError("--days must be between 1 and 3650, got \(days)")
            }
            switch role {
            case .admin where region != nil || charity != nil:
                throw ValidationError("an admin has no --region or --charity")
            case .coordinator where region == nil || charity != nil, .caseworker where region == nil || charity != nil:
                throw ValidationError("a \(role.rawValue) needs --region (and no --charity)")
            case .charity where charity == nil || region != nil:
                throw ValidationError("charity staff need --charity (and no --region)")
            default: break
            }
        }

        func run() async throws {
            let logger = try CommandLogger.make(label: "charity-match.token")
            let client = try database.makeClient(logger: logger)
            do {
                let user = try await account(UserRepository(client: client))
                let expiry = days.map { Date().addingTimeInterval(Double($0) * 86_400) }
                let issued = try await TokenRepository(client: client).issueToken(
                    for: user.id, label: "cli", expiresAt: expiry, by: .system)
                await client.shutdown()
                print("token \(issued.record.id) for user \(user.id) (\(user.login), \(role.rawValue))")
                print(issued.plaintext)
            } catch {
                await client.shutdown()
                throw error
            }
        }

        /// The account named by `--login` if it exists with this role and scope, else a new one.
        private func account(_ users: UserRepository) async throws -> UserRecord {
            if let login, let existing = try await users.user(login: login) {
                guard existing.role == role, existing.regionCode == region, existing.charityID == charity else {
                    throw ValidationError("login \(login) exists with another role or scope; choose another --login")
                }
                return existing
            }
            let login = self.login ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
            return try await users.create(
                login: login, name: name, role: role, regionCode: region, charityID: charity, by: .system)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id; it stops working at once.")

        @Argument(help: "The token's id, as `token create` printed it.")
        var id: Int64

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = try CommandLogger.make(label: "charity-match.token")
            let client = try database.makeClient(logger: logger)
            do {
                let record = try await TokenRepository(client: client).revoke(token: id, by: .system)
                await client.shutdown()
                print("token \(record.id) revoked")
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}

extension UserRole: ExpressibleByArgument {}
