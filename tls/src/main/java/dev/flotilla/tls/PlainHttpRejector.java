package dev.flotilla.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Put before the {@link SslHandler} of a TLS port: when a client speaks plain HTTP (an {@code http://} URL for an
 * HTTPS server), it answers {@code 400} with a sentence saying to use {@code https://} and closes, instead of the
 * client seeing a reset. TLS connections pass through untouched (this handler removes itself after the first
 * record header). One instance per connection.
 */
public final class PlainHttpRejector extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(PlainHttpRejector.class);
    private static final AtomicLong LAST_LOGGED = new AtomicLong();
    private static final int TLS_HEADER = 5;

    private final String hop;

    /** @param hop the listener's name, for the answer and the log ("Fleet Server") */
    public PlainHttpRejector(String hop) {
        this.hop = hop;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < TLS_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().remove(this);
            return;
        }
        in.skipBytes(in.readableBytes());
        long now = System.nanoTime();
        long last = LAST_LOGGED.get();
        if (now - last > 60_000_000_000L && LAST_LOGGED.compareAndSet(last, now)) {
            log.warn("{}: the client at {} spoke plain HTTP to the TLS port; it must use https:// (logged at most "
                    + "once a minute)", hop, ctx.channel().remoteAddress());
        }
        String body = hop + " speaks TLS on this port: use https:// instead of http://\n";
        String response = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
        ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.UTF_8))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
