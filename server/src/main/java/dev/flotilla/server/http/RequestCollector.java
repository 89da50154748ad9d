package dev.flotilla.server.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads a request body up to its endpoint's limit (after gzip decoding, so a small compressed body cannot grow
 * past it). Oversized bodies are answered 413 and never reach a handler; oversized headers 431; undecodable
 * requests 400. Answers {@code Expect: 100-continue} itself.
 */
final class RequestCollector extends ChannelInboundHandlerAdapter {
    private final Router router;
    private final long defaultMaxBody;
    private final ResponseWriter errors;
    private HttpRequest head;
    private Router.Match match;
    private long limit;
    private CompositeByteBuf body;
    private boolean discarding;
    private boolean closeAtEnd;

    RequestCollector(Router router, long defaultMaxBody, ResponseWriter errors) {
        this.router = router;
        this.defaultMaxBody = defaultMaxBody;
        this.errors = errors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                startRequest(ctx, req);
            }
            if (msg instanceof HttpContent content) {
                addContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startRequest(ChannelHandlerContext ctx, HttpRequest req) {
        reset();
        discarding = false;
        closeAtEnd = false;
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            discarding = true;
            RuntimeException error = cause instanceof TooLongFrameException
                    ? new ApiErrors.HeadersTooLarge("the request line or headers are too large: " + cause.getMessage())
                    : new ApiErrors.BadRequest("the HTTP request could not be decoded: " + cause.getMessage());
            errors.write(ctx, req, error, ResponseWriter.Close.AFTER_WRITE);
            return;
        }
        match = router.match(req.method(), req.uri());
        limit = match != null ? match.route().limiter().limit().maxBodyBytes() : defaultMaxBody;
        long declared = HttpUtil.getContentLength(req, -1L);
        if (declared > limit) {
            // With Expect: 100-continue the client has not sent the body: close now. Otherwise read and drop
            // the rest first, so the client reads the 413 instead of a connection reset.
            boolean expecting = HttpUtil.is100ContinueExpected(req);
            discarding = true;
            closeAtEnd = !expecting;
            errors.write(ctx, req, tooLarge(declared), expecting ? ResponseWriter.Close.AFTER_WRITE : ResponseWriter.Close.LATER);
            return;
        }
        if (HttpUtil.is100ContinueExpected(req)) {
            req.headers().remove(HttpHeaderNames.EXPECT);
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE))
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        head = req;
        body = ctx.alloc().compositeBuffer(1024);
    }

    private void addContent(ChannelHandlerContext ctx, HttpContent content) {
        if (discarding || head == null) {
            if (closeAtEnd && content instanceof LastHttpContent) {
                ctx.close();
            }
            return;
        }
        int n = content.content().readableBytes();
        if (body.readableBytes() + (long) n > limit) {
            HttpRequest req = head;
            long seen = body.readableBytes() + (long) n;
            reset();
            discarding = true;
            closeAtEnd = !(content instanceof LastHttpContent);
            errors.write(ctx, req, tooLarge(seen),
                    content instanceof LastHttpContent ? ResponseWriter.Close.AFTER_WRITE : ResponseWriter.Close.LATER);
            return;
        }
        if (n > 0) {
            body.addComponent(true, content.content().retain());
        }
        if (content instanceof LastHttpContent) {
            CollectedRequest done = new CollectedRequest(head, body, match);
            head = null;
            body = null;
            match = null;
            ctx.fireChannelRead(done);
        }
    }

    private ApiErrors.PayloadTooLarge tooLarge(long size) {
        return new ApiErrors.PayloadTooLarge("the request body exceeds the maximum allowed size (" + size
                + " > " + limit + " bytes" + (match != null ? " for " + match.route().endpoint() : "") + ")");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpRequest req = head;
        reset();
        discarding = true;
        if (req != null && ctx.channel().isActive()) {
            errors.write(ctx, req, new ApiErrors.BadRequest("the request body could not be decoded: "
                    + cause.getMessage()), ResponseWriter.Close.AFTER_WRITE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        reset();
        super.channelInactive(ctx);
    }

    private void reset() {
        if (body != null) {
            body.release();
            body = null;
        }
        head = null;
        match = null;
    }
}
