package dev.flotilla.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces TLS handshakes: at most {@code max} connections of a listener are between accept and the end of their
 * handshake at a time. At the bound the listener stops accepting (its server channel stops reading), so further
 * connections wait in the kernel's accept backlog instead of all starting handshakes that would share the CPU and
 * finish, all of them, after the clients' handshake timeout (the collapse of a reconnect storm). Accepting resumes
 * as soon as a handshake ends. One {@link Gate} per connection sits after the TLS handler and leaves the pipeline
 * when the handshake is done.
 */
final class HandshakeGate {
    /** System property: the most TLS handshakes in progress per listener (default {@value #DEFAULT_MAX}). */
    static final String MAX_PROPERTY = "flotilla.server.max-handshakes";
    static final int DEFAULT_MAX = 128;
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGate.class);

    private final int max;
    private final AtomicInteger inProgress = new AtomicInteger();
    private volatile Channel paused;
    private long pauses;

    HandshakeGate(int max) {
        if (max < 1) {
            throw new IllegalArgumentException(MAX_PROPERTY + ": " + max + " (expected: >= 1)");
        }
        this.max = max;
    }

    /** The bound from {@value #MAX_PROPERTY}, or the default; a malformed value is an error naming the property. */
    static HandshakeGate fromSystemProperty() {
        String value = System.getProperty(MAX_PROPERTY);
        if (value == null || value.isBlank()) {
            return new HandshakeGate(DEFAULT_MAX);
        }
        try {
            return new HandshakeGate(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + MAX_PROPERTY + "=" + value + " is not a number; give the most"
                    + " TLS handshakes in progress at a time, e.g. " + DEFAULT_MAX, e);
        }
    }

    int max() {
        return max;
    }

    /** Handshakes in progress now. */
    int inProgress() {
        return inProgress.get();
    }

    /** Times accepting was paused at the bound. */
    synchronized long pauses() {
        return pauses;
    }

    /** The handler for one new connection. */
    Gate newGate() {
        return new Gate();
    }

    private void started(Channel child) {
        if (inProgress.incrementAndGet() >= max && child.parent() != null) {
            synchronized (this) {
                if (inProgress.get() >= max && paused == null) {
                    paused = child.parent();
                    paused.config().setAutoRead(false); // takes effect on the listener's own event loop
                    pauses++;
                    LOG.debug("{} TLS handshakes in progress: accepting paused", max);
                }
            }
        }
    }

    private void ended() {
        if (inProgress.decrementAndGet() < max && paused != null) {
            synchronized (this) {
                if (paused != null && inProgress.get() < max) {
                    Channel server = paused;
                    paused = null;
                    if (server.isOpen()) {
                        server.config().setAutoRead(true);
                    }
                }
            }
        }
    }

    /** Counts one connection from accept until its handshake ends (or it closes first). */
    final class Gate extends ChannelInboundHandlerAdapter {
        private boolean counted;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            counted = true;
            started(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent) {
                release();
                ctx.pipeline().remove(this);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            release();
            super.channelInactive(ctx);
        }

        private void release() {
            if (counted) {
                counted = false;
                ended();
            }
        }
    }
}
