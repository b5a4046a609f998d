import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request head has not arrived within the header timeout,
/// counted from the connection's opening and again from the end of each answer; and tells
/// ``OpenConnections`` when the connection may be evicted (waiting for a head) or not.
///
/// Hummingbird's idle timeout alone restarts on every part read, and a head that never
/// ends produces no part, so this deadline is what bounds a half-sent request.
final class RequestHeadDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private let connection: OpenConnections.ConnectionID
    private let connections: OpenConnections
    private var unanswered = 0
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, connection: OpenConnections.ConnectionID, connections: OpenConnections) {
        self.timeout = timeout
        self.connection = connection
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            unanswered += 1
            disarm()
            connections.markBusy(connection)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0 {
                arm(context)
                connections.markWaiting(connection, context.channel)
            }
        }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
