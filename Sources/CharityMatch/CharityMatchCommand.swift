import ArgumentParser
import Foundation

/// The `charity-match` executable: one binary for the server and every operator task.
@main
struct CharityMatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charity-match",
        abstract: "Links government social assistance with charitable help.",
        discussion: """
            Exit status: 0 on success; 1 when a command fails at run time (one sentence on stderr: the \
            database cannot be reached, a change is refused…); 64 for a usage error (a bad or missing option); \
            `import` exits 2 when rows have problems, `solve` 2 when an instance is unreadable.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, ImportCommand.self, MatchCommand.self,
            ExportCommand.self, TokenCommand.self, RehearseCommand.self, SolveCommand.self,
            GenerateInstanceCommand.self, BenchCommand.self,
        ]
    )

    /// Parses and runs the subcommand like ArgumentParser's own `main`, except that a runtime
    /// failure is said in one place, as one sentence with exit status 1; usage errors, help
    /// and explicit exit codes keep ArgumentParser's handling (64, 0, the code).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            var running = command
            if var asynchronous = running as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try running.run()
            }
        } catch let error
            where error is ValidationError || error is ExitCode || error is CleanExit || exitCode(for: error).isSuccess
        {
            exit(withError: error)
        } catch {
            let place = (command as? any DatabaseCommand)?.database.placeForMessages
            let sentence = CommandFailure.sentence(for: error, database: place)
            FileHandle.standardError.write(Data("error: \(sentence)\n".utf8))
            exit(withError: ExitCode.failure)
        }
    }
}
