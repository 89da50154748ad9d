package dev.flotilla.server.http;

import dev.flotilla.server.limit.EndpointLimiter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves a collected request: refuses it while stopping (499), finds its route (404/405), applies the
 * endpoint's rate and concurrency limits (429), checks {@code Elastic-Api-Version} (400), then runs the handler
 * on the worker executor and writes what it returns.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<CollectedRequest> {
    private final Router router;
    private final Lifecycle lifecycle;
    private final Executor workers;
    private final ResponseWriter writer;
    private final ReadPause readPause;

    RequestDispatcher(Router router, Lifecycle lifecycle, Executor workers, ResponseWriter writer, ReadPause readPause) {
        super(CollectedRequest.class, false);
        this.router = router;
        this.lifecycle = lifecycle;
        this.workers = workers;
        this.writer = writer;
        this.readPause = readPause;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, CollectedRequest collected) {
        HttpRequest head = collected.head();
        byte[] body;
        try {
            body = ByteBufUtil.getBytes(collected.body());
        } finally {
            collected.body().release();
        }
        lifecycle.started();
        Optional<EndpointLimiter.Permit> permit = Optional.empty();
        try {
            if (lifecycle.stopping()) {
                throw new ApiErrors.ServerStopping("the Fleet Server is shutting down; retry against another"
                        + " Fleet Server or after it restarts");
            }
            Router.Match match = collected.match();
            if (match == null) {
                Router.Miss miss = router.miss(head.uri());
                throw miss.pathKnown()
                        ? new ApiErrors.MethodNotAllowed(head.method() + " is not allowed on " + miss.path())
                        : new ApiErrors.RouteNotFound("no such endpoint: " + miss.path());
            }
            permit = match.route().limiter().tryAcquire();
            if (permit.isEmpty()) {
                throw new ApiErrors.TooManyRequests("too many requests to " + match.route().endpoint()
                        + "; retry later");
            }
            checkApiVersion(head);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            GenericFutureListener<Future<Void>> onClose = f -> closed.complete(null);
            ctx.channel().closeFuture().addListener(onClose);
            ApiRequest request = new ApiRequest(head.method(), match.path(), match.params(), head.headers(), body,
                    ctx.channel().remoteAddress(), match.route().endpoint(), closed, head.uri(), ctx.executor());
            Optional<EndpointLimiter.Permit> held = permit;
            // what the answer needs of the request head, so a long poll does not keep all its headers
            HttpRequest answerTo = ResponseWriter.answerHead(head);
            CompletableFuture.supplyAsync(() -> call(match.route().handler(), request), workers)
                    .thenCompose(stage -> stage)
                    .whenComplete((response, error) -> {
                        Runnable answer = () -> {
                            // a keep-alive connection serves many requests: drop this one's close listener
                            ctx.channel().closeFuture().removeListener(onClose);
                            respond(ctx, answerTo, response, error, held);
                        };
                        if (ctx.executor().inEventLoop()) {
                            answer.run(); // completed on the connection's thread (ApiRequest#connectionThread)
                        } else {
                            ctx.executor().execute(answer);
                        }
                    });
        } catch (RejectedExecutionException e) {
            respond(ctx, head, null, new ApiErrors.ServerStopping("the Fleet Server is shutting down"), permit);
        } catch (RuntimeException e) {
            respond(ctx, head, null, e, permit);
        }
    }

    private static CompletionStage<ApiResponse> call(Handler handler, ApiRequest request) {
        try {
            return handler.handle(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static void checkApiVersion(HttpRequest head) {
        String version = head.headers().get(ResponseWriter.API_VERSION_HEADER);
        if (version != null && !version.equals(ResponseWriter.API_VERSION)) {
            throw new ApiErrors.UnsupportedApiVersion("Elastic-Api-Version '" + version + "' is not supported;"
                    + " this Fleet Server serves " + ResponseWriter.API_VERSION);
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest head, ApiResponse response, Throwable error,
                         Optional<EndpointLimiter.Permit> permit) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        var future = cause != null
                ? writer.write(ctx, head, cause, ResponseWriter.Close.NO)
                : writer.write(ctx, head, response, ResponseWriter.Close.NO, true);
        future.addListener(f -> {
            permit.ifPresent(EndpointLimiter.Permit::close);
            lifecycle.finished();
        });
        if (readPause != null) {
            readPause.afterResponse(ctx.channel(), response);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
