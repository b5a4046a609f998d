import ArgumentParser
import Foundation
import Postgres
import Store

/// `charity-match user set-password`: gives an account (the first administrator, the demo's
/// people) a password to sign in to the dashboard with. The password is read from standard
/// input, never from the command line, where other users of the machine could see it.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage accounts' dashboard passwords.",
        subcommands: [SetPassword.self]
    )

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set the password of the account --login names, read as one line from standard input.")

        @Option(help: "Login of the account (create it with `token create` if it does not exist).")
        var login: String

        @Flag(help: "Make the person choose a new password at their next sign-in.")
        var mustChange = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("type the password as one line on standard input")
            }
            let logger = try CommandLogger.make(label: "charity-match.user")
            let client = try database.makeClient(logger: logger)
            do {
                let users = UserRepository(client: client)
                guard let account = try await users.user(login: login) else {
                    throw CommandFailure("no account has the login \(login)")
                }
                let record = try await users.setPassword(
                    user: account.id, to: line, mustChange: mustChange, by: .system)
                await client.shutdown()
                print("password set for user \(record.id) (\(record.login))")
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}
