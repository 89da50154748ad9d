package dev.flotilla.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every response of a listener: the API version and request id headers, keep-alive or close, a spliced body
 * in its gzip form to a client that accepts it ({@link SplicedBody}), and errors turned into error bodies
 * ({@link ErrorTable}).
 */
final class ResponseWriter {
    static final String API_VERSION_HEADER = "Elastic-Api-Version";
    static final String API_VERSION = "2023-06-01";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);

    private final Lifecycle lifecycle;
    /** Bodies at least this long go gzip to a client that accepts it (the listener's compression threshold). */
    private final int gzipThreshold;

    ResponseWriter(Lifecycle lifecycle, int gzipThreshold) {
        this.lifecycle = lifecycle;
        this.gzipThreshold = gzipThreshold;
    }

    /** What happens to the connection after a response. */
    enum Close { NO, AFTER_WRITE, LATER }

    /**
     * The part of a request head that {@link #write} reads (method, URI, version, {@code Connection},
     * {@code X-Request-Id}, {@code Accept-Encoding}): what a request waiting for its answer keeps instead of all its
     * headers.
     */
    static HttpRequest answerHead(HttpRequest head) {
        String connection = head.headers().get(HttpHeaderNames.CONNECTION);
        String requestId = head.headers().get(REQUEST_ID_HEADER);
        String encodings = head.headers().get(HttpHeaderNames.ACCEPT_ENCODING);
        HttpHeaders kept = EmptyHttpHeaders.INSTANCE;
        if (connection != null || requestId != null || encodings != null) {
            kept = new DefaultHttpHeaders();
            if (connection != null) {
                kept.set(HttpHeaderNames.CONNECTION, connection);
            }
            if (requestId != null) {
                kept.set(REQUEST_ID_HEADER, requestId);
            }
            if (encodings != null) {
                kept.set(HttpHeaderNames.ACCEPT_ENCODING, encodings);
            }
        }
        return new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), kept);
    }

    /** Answers an error; logs it at the level of its {@link ErrorTable} row. */
    ChannelFuture write(ChannelHandlerContext ctx, HttpRequest head, Throwable error, Close close) {
        ErrorTable.Entry entry = ErrorTable.lookup(error);
        String message = ErrorTable.message(error, entry);
        String line = "{} {} -> {} {}: {}";
        Object[] args = {head.method(), head.uri(), entry.status(), entry.error(), message};
        switch (entry.level()) {
            case ERROR -> LOG.error("{} {} -> {} {}", head.method(), head.uri(), entry.status(), entry.error(), error);
            case WARN -> LOG.warn(line, args);
            case INFO -> LOG.info(line, args);
            default -> LOG.debug(line, args);
        }
        ApiResponse response = ApiResponse.error(entry.status(), entry.error(), message);
        // 429 is decided before the version header is looked at, as in the reference.
        boolean versionHeader = entry.status() != 429;
        return write(ctx, head, response, close, versionHeader);
    }

    ChannelFuture write(ChannelHandlerContext ctx, HttpRequest head, ApiResponse response, Close close,
                        boolean versionHeader) {
        SplicedBody spliced = response.spliced();
        boolean gzip = spliced != null && spliced.length() >= gzipThreshold
                && AcceptEncoding.allowsGzip(head.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        // with Content-Encoding set, the listener's compressor leaves the gzip form as it is
        ByteBuf content = spliced == null ? Unpooled.wrappedBuffer(response.body())
                : gzip ? spliced.gzip() : spliced.plain();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), content);
        if (content.isReadable() && response.contentType() != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        if (gzip) {
            out.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (versionHeader) {
            out.headers().set(API_VERSION_HEADER, API_VERSION);
        }
        String requestId = head.headers().get(REQUEST_ID_HEADER);
        out.headers().set(REQUEST_ID_HEADER, requestId != null ? requestId : RequestIds.next());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            out.headers().set(h.getKey(), h.getValue());
        }
        boolean keepAlive = close == Close.NO && !lifecycle.stopping() && HttpUtil.isKeepAlive(head);
        if (keepAlive) {
            if (head.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture f = ctx.writeAndFlush(out);
        if (!keepAlive && close != Close.LATER) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }
}
