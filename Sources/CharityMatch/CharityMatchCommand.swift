import ArgumentParser

/// The `charity-match` executable: one binary for the server and every operator task.
@main
struct CharityMatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charity-match",
        abstract: "Links government social assistance with charitable help.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, ImportCommand.self, MatchCommand.self,
            ExportCommand.self, TokenCommand.self, RehearseCommand.self, SolveCommand.self,
            GenerateInstanceCommand.self, BenchCommand.self,
        ]
    )
}
