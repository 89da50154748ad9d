package dev.flotilla.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.agent.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent asks for gzip answers, as an Elastic Agent's Go client does, and reads them. */
class FleetClientGzipTest {
    private static final String ANSWER = "{\"action\":\"checkin\",\"ack_token\":\"t1\",\"actions\":[{\"id\":\"policy:p:3\","
            + "\"type\":\"POLICY_CHANGE\",\"agent_id\":\"a1\",\"data\":{\"policy\":{\"id\":\"p\",\"revision\":3,"
            + "\"padding\":\"" + "x".repeat(5000) + "\"}}}]}";

    private HttpServer server;
    private final AtomicReference<String> acceptEncoding = new AtomicReference<>();

    private FleetClient client(String contentEncoding, byte[] body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            acceptEncoding.set(exchange.getRequestHeaders().getFirst("Accept-Encoding"));
            exchange.getRequestBody().readAllBytes();
            if (contentEncoding != null) {
                exchange.getResponseHeaders().set("Content-Encoding", contentEncoding);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new FleetClient(base, HttpClient.newHttpClient(), null);
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static CheckinRequest request() {
        return new CheckinRequest("online", "Running", null, Map.of(), null, 0, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aGzipAnswerIsInflated() throws Exception {
        CheckinResponse r = client("gzip", gzip(ANSWER)).checkin("a1", "key", request());
        assertThat(acceptEncoding.get()).isEqualTo("gzip");
        assertThat(r.ackToken()).isEqualTo("t1");
        assertThat(r.actions()).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo("POLICY_CHANGE");
            assertThat(a.data().path("policy").path("revision").asLong()).isEqualTo(3);
        });
    }

    @Test
    void aPlainAnswerStillWorks() throws Exception {
        CheckinResponse r = client(null, ANSWER.getBytes(StandardCharsets.UTF_8)).checkin("a1", "key", request());
        assertThat(r.actions()).hasSize(1);
    }

    @Test
    void aBrokenGzipBodyOrAnotherEncodingIsAClearError() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(gzip(ANSWER), 40);
        assertThatThrownBy(() -> client("gzip", cut).checkin("a1", "key", request()))
                .isInstanceOf(FleetUnreachableException.class).hasMessageContaining("gzip body that cannot be read");
        stop();
        assertThatThrownBy(() -> client("br", new byte[] {1, 2, 3}).checkin("a1", "key", request()))
                .isInstanceOf(AgentException.class).hasMessageContaining("Content-Encoding 'br'");
    }
}
