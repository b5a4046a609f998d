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

/// Answers a connection the server has no room for: a 503 problem with `Retry-After`, then
/// the connection is closed once the client has had a moment to read it (closing at once,
/// with the request still unread, would reset the connection and lose the answer).
final class OverCapacityResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let retryAfterSeconds = 1
    private static let lingerTime = TimeAmount.milliseconds(250)
    private var answered = false

    static let response: String = {
        let body =
            #"{"detail":"The server has too many open connections. Try again shortly.","status":503,"#
            + #""title":"Server busy","type":"\#(Problem.typeBase)server-busy"}"#
        return "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n"
            + "retry-after: \(retryAfterSeconds)\r\nconnection: close\r\ncontent-length: \(body.utf8.count)\r\n\r\n"
            + body
    }()

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let buffer = context.channel.allocator.buffer(string: Self.response)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(mode: .output, promise: nil)
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            context.close(promise: nil)
        }
    }
}
