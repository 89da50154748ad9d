package dev.flotilla.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that is too slow: no request headers within the read-header timeout of connecting (this
 * includes the TLS handshake), no complete body within the read timeout, no response within the write timeout
 * (which must outlast the longest long poll), or no new request within the idle timeout after a response.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);
    private final HttpSettings settings;
    private Future<?> timer;

    ConnectionTimeouts(HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, settings.readHeaderTimeout(), "no request headers");
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            arm(ctx, settings.readTimeout(), "request body not complete");
        }
        if (msg instanceof LastHttpContent) {
            arm(ctx, settings.writeTimeout(), "no response written");
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise.addListener(f -> {
                if (ctx.channel().isActive()) {
                    arm(ctx, settings.idleTimeout(), "idle keep-alive connection");
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx, Duration after, String why) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            LOG.debug("closing connection from {}: {} after {}", ctx.channel().remoteAddress(), why, after);
            ctx.close();
        }, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
