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
 *
 * <p>One timer per connection, moved lazily: arming only records the new deadline, and the scheduled task is
 * replaced only when the deadline comes earlier than it fires; a task that fires before the deadline schedules
 * itself again for the rest. A request-response cycle then costs one change of the event loop's timer queue
 * instead of three (a cancel and a schedule each), which counts when 50,000 agents are answered at once.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);
    private final HttpSettings settings;
    private ChannelHandlerContext ctx;
    private Future<?> timer;
    /** When {@link #timer} fires (System.nanoTime). */
    private long timerAt;
    /** When the connection is closed unless re-armed, why, and the timeout that set it. */
    private long deadline;
    private String why;
    private Duration after;

    ConnectionTimeouts(HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        arm(settings.readHeaderTimeout(), "no request headers");
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            arm(settings.readTimeout(), "request body not complete");
        }
        if (msg instanceof LastHttpContent) {
            arm(settings.writeTimeout(), "no response written");
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            promise.addListener(f -> {
                if (ctx.channel().isActive()) {
                    arm(settings.idleTimeout(), "idle keep-alive connection");
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

    /** Runs on the connection's event loop, as every call here does. */
    private void arm(Duration after, String why) {
        this.deadline = System.nanoTime() + after.toNanos();
        this.why = why;
        this.after = after;
        if (timer == null || deadline - timerAt < 0) {
            cancel();
            schedule(deadline);
        }
    }

    private void schedule(long at) {
        timerAt = at;
        timer = ctx.executor().schedule(this::fire, at - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        if (deadline - System.nanoTime() > 0) {
            schedule(deadline); // re-armed for later since this was scheduled
            return;
        }
        LOG.debug("closing connection from {}: {} after {}", ctx.channel().remoteAddress(), why, after);
        ctx.close();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
