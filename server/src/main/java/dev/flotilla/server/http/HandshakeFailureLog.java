package dev.flotilla.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits after the TLS handler of one connection: logs a failed handshake once, explained by the listener's
 * {@link SslHandlerFactory} (hop, certificates, fix), then leaves the pipeline when the handshake is done.
 */
final class HandshakeFailureLog extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeFailureLog.class);
    private final SslHandlerFactory tls;

    HandshakeFailureLog(SslHandlerFactory tls) {
        this.tls = tls;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                LOG.warn("{}", tls.explainFailure(done.cause(), String.valueOf(ctx.channel().remoteAddress())));
            }
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }
}
