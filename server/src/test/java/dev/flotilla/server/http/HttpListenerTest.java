package dev.flotilla.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.limit.EndpointLimit;
import io.netty.handler.codec.http.HttpMethod;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The listener on its own, with a router of test handlers: the write timeout and a second listener's routes. */
@Timeout(30)
class HttpListenerTest {

    @Test
    void aResponseThatNeverComesClosesTheConnectionAfterTheWriteTimeout() throws Exception {
        CompletableFuture<Void> closedSeen = new CompletableFuture<>();
        Router router = Router.builder()
                .route(HttpMethod.GET, "/stuck", "stuck", EndpointLimit.DEFAULT, request -> {
                    request.connectionClosed().thenRun(() -> closedSeen.complete(null));
                    return new CompletableFuture<>();
                })
                .route(HttpMethod.GET, "/hello/{name}", "hello", EndpointLimit.DEFAULT,
                        request -> CompletableFuture.completedFuture(ApiResponse.json(200,
                                Json.object().put("hello", request.pathParam("name")))))
                .build();
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.set(Lifecycle.State.HEALTHY);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        HttpSettings settings = HttpSettings.defaults("127.0.0.1", 0).withWriteTimeout(Duration.ofMillis(500));
        try (HttpListener listener = HttpListener.start("test", settings, router, null, lifecycle, workers, 1)) {
            try (Socket s = new Socket("127.0.0.1", listener.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /hello/flotilla HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String ok = read(s.getInputStream(), "}");
                assertThat(ok).startsWith("HTTP/1.1 200").contains("{\"hello\":\"flotilla\"}")
                        .contains("Elastic-Api-Version: 2023-06-01");

                long t0 = System.nanoTime();
                s.getOutputStream().write("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            }
            closedSeen.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void aRequestAnsweredOnAKeepAliveConnectionNoLongerWatchesItsClose() throws Exception {
        java.util.List<java.util.concurrent.CompletionStage<Void>> closes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> stuckSeen = new CompletableFuture<>();
        Router router = Router.builder()
                .route(HttpMethod.GET, "/hello/{name}", "hello", EndpointLimit.DEFAULT, request -> {
                    closes.add(request.connectionClosed());
                    return CompletableFuture.completedFuture(ApiResponse.json(200,
                            Json.object().put("hello", request.pathParam("name"))));
                })
                .route(HttpMethod.GET, "/stuck", "stuck", EndpointLimit.DEFAULT, request -> {
                    closes.add(request.connectionClosed());
                    stuckSeen.complete(null);
                    return new CompletableFuture<>();
                })
                .build();
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.set(Lifecycle.State.HEALTHY);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (HttpListener listener = HttpListener.start("test", HttpSettings.defaults("127.0.0.1", 0), router, null,
                lifecycle, workers, 1)) {
            try (Socket s = new Socket("127.0.0.1", listener.port())) {
                s.setSoTimeout(10_000);
                for (String name : new String[] {"one", "two"}) {
                    s.getOutputStream().write(("GET /hello/" + name + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-"
                            + name + "\r\nAuthorization: ApiKey c2VjcmV0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String ok = read(s.getInputStream(), "}");
                    // what the answer needs of the request head is still there: the request id comes back
                    assertThat(ok).startsWith("HTTP/1.1 200").contains("X-Request-Id: req-" + name)
                            .doesNotContainIgnoringCase("connection: close");
                }
                s.getOutputStream().write("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                stuckSeen.get(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            // the client closed: the waiting request hears it, the two answered before do not (no listener left)
            closes.get(2).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(closes.get(0).toCompletableFuture()).isNotDone();
            assertThat(closes.get(1).toCompletableFuture()).isNotDone();

            try (Socket s = new Socket("127.0.0.1", listener.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /hello/bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String bye = read(s.getInputStream(), "}");
                assertThat(bye).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
                assertThat(s.getInputStream().read()).isEqualTo(-1); // and the server closed it
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private static String read(InputStream in, String until) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (sb.indexOf(until) >= 0) {
                break;
            }
        }
        return sb.toString();
    }
}
