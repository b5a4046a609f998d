import HummingbirdCore
import Logging
import NIOCore

/// How long a connection may take and how many may be open: what stops slow or half-sent
/// requests from holding the server's file descriptors and event loops.
public struct ConnectionLimits: Sendable {
    /// Open connections at most; beyond it an idle connection is evicted or the newcomer gets a 503.
    public var maxConnections: Int
    /// Time for a request's head to arrive, counted from the connection's opening or the end
    /// of its previous answer (so it is also how long a keep-alive connection may sit idle).
    public var headerTimeout: Duration
    /// Time without any inbound traffic while a request body is being read.
    public var idleTimeout: Duration

    public init(
        maxConnections: Int = 1_000, headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)
    ) {
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the limits above; `connections` is shared so a test can watch it.
    public static func bounded(_ limits: ConnectionLimits, connections: OpenConnections) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            BoundedHTTP1Channel(
                http1: HTTP1Channel(
                    responder: responder,
                    configuration: .init(idleTimeout: TimeAmount(limits.idleTimeout))),
                limits: limits, connections: connections)
        }
    }
}

/// Hummingbird's HTTP/1.1 child channel behind the connection cap, with a deadline on
/// request heads.
struct BoundedHTTP1Channel: ServerChildChannel {
    enum Value: ServerChildChannelValue {
        case admitted(HTTP1Channel.Value)
        case refused(any Channel)

        var channel: any Channel {
            switch self {
            case .admitted(let value): value.channel
            case .refused(let channel): channel
            }
        }
    }

    let http1: HTTP1Channel
    let limits: ConnectionLimits
    let connections: OpenConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard case .admitted(let id) = connections.admit(channel) else {
            logger.debug("connection refused: the server is at its connection limit")
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(OverCapacityResponder())
                return .refused(channel)
            }
        }
        channel.closeFuture.whenComplete { [connections] _ in connections.closed(id) }
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { [limits, connections] value in
            try channel.pipeline.syncOperations.addHandler(
                RequestHeadDeadline(
                    timeout: TimeAmount(limits.headerTimeout), connection: id, connections: connections),
                position: .before(try channel.pipeline.syncOperations.handler(type: HTTPConnectionStateHandler.self)))
            return .admitted(value)
        }
    }

    func handle(value: Value, logger: Logger) async {
        guard case .admitted(let channel) = value else { return }
        await http1.handle(value: channel, logger: logger)
    }
}
