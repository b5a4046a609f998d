import NIOCore
import Synchronization

/// The server's open HTTP connections, at most `limit` of them.
///
/// A connection counts from its acceptance until it closes. While it waits for a request's
/// head (just opened, or idle between keep-alive requests) it may be evicted: when the
/// server is full, a newcomer takes the place of the connection that has waited longest,
/// so connections that open and never finish a request (slowloris, half-open floods)
/// cannot lock out real clients. Only when every connection is inside a request is the
/// newcomer refused (a quick 503, see ``OverCapacityResponder``).
public final class OpenConnections: Sendable {
    /// What the server decides for a new connection.
    enum Admission: Equatable {
        case admitted(ConnectionID)
        case refused
    }

    struct ConnectionID: Hashable {
        let value: Int
    }

    public let limit: Int
    private let state: Mutex<State>

    public init(limit: Int) {
        self.limit = max(1, limit)
        self.state = Mutex(State())
    }

    /// Connections open right now (for tests and metrics).
    public var count: Int { state.withLock { $0.open } }

    /// Admits `channel`, evicting the longest-waiting idle connection if the server is full.
    func admit(_ channel: any Channel) -> Admission {
        let (admission, evicted) = state.withLock { (state: inout State) -> (Admission, (any Channel)?) in
            var evicted: (any Channel)?
            if state.open >= limit {
                guard let oldest = state.popOldestWaiting() else { return (.refused, nil) }
                evicted = oldest
            }
            state.nextID += 1
            let id = ConnectionID(value: state.nextID)
            state.open += 1
            state.markWaiting(id, channel)
            return (.admitted(id), evicted)
        }
        evicted?.close(promise: nil)
        return admission
    }

    /// The connection is reading or answering a request: it may not be evicted.
    func markBusy(_ id: ConnectionID) {
        state.withLock { $0.waiting[id] = nil }
    }

    /// The connection waits for its next request's head: it may be evicted.
    func markWaiting(_ id: ConnectionID, _ channel: any Channel) {
        state.withLock { $0.markWaiting(id, channel) }
    }

    func closed(_ id: ConnectionID) {
        state.withLock { state in
            state.waiting[id] = nil
            state.open -= 1
        }
    }

    private struct State {
        var open = 0
        var nextID = 0
        /// Connections waiting for a head, by id, with the ticket of their place in `queue`.
        var waiting: [ConnectionID: (channel: any Channel, ticket: Int)] = [:]
        /// Arrival order of waiting connections; entries whose ticket no longer matches are stale.
        var queue: [(id: ConnectionID, ticket: Int)] = []
        var queueStart = 0
        var nextTicket = 0

        mutating func markWaiting(_ id: ConnectionID, _ channel: any Channel) {
            nextTicket += 1
            waiting[id] = (channel, nextTicket)
            queue.append((id, nextTicket))
            compactQueue()
        }

        mutating func popOldestWaiting() -> (any Channel)? {
            defer { compactQueue() }
            while queueStart < queue.count {
                let entry = queue[queueStart]
                queueStart += 1
                if let waiter = waiting[entry.id], waiter.ticket == entry.ticket {
                    waiting[entry.id] = nil
                    return waiter.channel
                }
            }
            return nil
        }

        /// Drops consumed and stale entries once they make up most of the queue, so it stays
        /// within a small multiple of the waiting connections however many requests pass.
        private mutating func compactQueue() {
            guard queue.count > 1_024 + 2 * waiting.count else { return }
            queue = queue[queueStart...].filter { waiting[$0.id]?.ticket == $0.ticket }
            queueStart = 0
        }
    }
}
