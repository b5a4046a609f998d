import Logging
import Postgres
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@Suite("The pool as a service")
struct ServiceTests {
    /// Keeps every message logged through it, so a test can see what reached the log.
    final class RecordingLogHandler: LogHandler, Sendable {
        let messages = Mutex<[String]>([])
        var metadata: Logger.Metadata {
            get { [:] }
            set {}
        }
        var logLevel: Logger.Level {
            get { .trace }
            set {}
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { nil }
            set {}
        }

        func log(event: LogEvent) {
            messages.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }

    @Test func serverNoticesGoToTheLog() async throws {
        let handler = RecordingLogHandler()
        let logger = Logger(label: "notices") { _ in handler }
        try await TestDatabase.with(label: "notice") { database in
            let client = PostgresClient(configuration: database.configuration, logger: logger)
            try await client.query("DO $$ BEGIN RAISE NOTICE 'stock is low'; END $$")
            await client.shutdown()
        }
        #expect(handler.messages.withLock { $0 }.contains { $0.hasPrefix("notice:") && $0.contains("stock is low") })
    }

    @Test func gracefulShutdownEndsRunAndRefusesNewWork() async throws {
        try await TestDatabase.with(label: "service") { database in
            let client = database.makeClient()
            let group = ServiceGroup(
                configuration: .init(services: [client], logger: TestDatabase.logger)
            )
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let one = try await client.query("SELECT 1 AS one")[0].decode(Int32.self, "one")
                #expect(one == 1)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
            #expect(error?.code == .poolShutDown)
        }
    }
}
