import NIOCore

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
