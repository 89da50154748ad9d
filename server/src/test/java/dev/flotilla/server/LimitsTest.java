package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.http.HttpSettings;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.limit.EndpointLimit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Body, header, rate, concurrency and connection limits; timeouts; gzip both ways. */
@Timeout(60)
class LimitsTest {
    @TempDir
    Path dir;
    TestFleet fleet;

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static byte[] bigEnrollBody(int padding) {
        var body = ApiClient.enrollBody(List.of());
        char[] pad = new char[padding];
        Arrays.fill(pad, 'x');
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.path("metadata").path("local")).put("pad",
                new String(pad));
        return Json.bytes(body);
    }

    @Test
    void oversizedBodiesAre413WithNothingStored() throws Exception {
        fleet = TestFleet.plain(dir);
        ApiClient.Reply declared = fleet.client.send("POST", "/api/fleet/agents/enroll", fleet.token.token(),
                bigEnrollBody(600 * 1024));
        assertThat(declared.status()).as(declared.toString()).isEqualTo(413);
        assertThat(declared.json().path("error").asText()).isEqualTo("ErrPayloadSizeTooLarge");
        assertThat(OpenApiSchemas.problems("error", declared.json())).isEmpty();

        // chunked (no Content-Length): refused while reading
        String chunked = rawExchange(fleet.server.port(), chunkedRequest(fleet.token.token(),
                bigEnrollBody(600 * 1024)));
        assertThat(chunked).startsWith("HTTP/1.1 413");

        // a small gzip body that decompresses past the limit
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bigEnrollBody(2 * 1024 * 1024));
        }
        assertThat(gz.size()).isLessThan(512 * 1024);
        ApiClient.Reply bomb = fleet.client.send("POST", "/api/fleet/agents/enroll", fleet.token.token(),
                gz.toByteArray(), "Content-Encoding", "gzip");
        assertThat(bomb.status()).isEqualTo(413);
        assertThat(fleet.server.store().listAgents()).isEmpty();

        // within the limit, gzip-encoded requests are accepted
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(small)) {
            out.write(bigEnrollBody(10));
        }
        assertThat(fleet.client.send("POST", "/api/fleet/agents/enroll", fleet.token.token(), small.toByteArray(),
                "Content-Encoding", "gzip").status()).isEqualTo(200);
        assertThat(fleet.server.store().listAgents()).hasSize(1);
    }

    @Test
    void largeResponsesAreGzippedWhenTheClientAcceptsGzip() throws Exception {
        fleet = TestFleet.plain(dir);
        var doc = dev.flotilla.server.policy.Policies.starter(List.of("https://f:8220"), "https://es:9200");
        for (int i = 0; i < 30; i++) {
            doc.withArray("inputs").addObject().put("id", "logfile-" + i).put("type", "logfile")
                    .put("use_output", "default");
        }
        fleet.server.policies().put(TestFleet.POLICY, doc);
        TestFleet.Agent a = fleet.enroll();
        ApiClient.Reply r = fleet.client.send("POST", "/api/fleet/agents/" + a.id() + "/checkin", a.key(),
                Json.bytes(ApiClient.checkinBody(null)), "Accept-Encoding", "gzip");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        byte[] plain = new GZIPInputStream(new java.io.ByteArrayInputStream(r.raw().body())).readAllBytes();
        assertThat(Json.MAPPER.readTree(plain).path("actions").get(0).path("data").path("policy").path("inputs"))
                .hasSize(30);
        // small responses and clients without gzip get identity
        ApiClient.Reply status = fleet.client.send("GET", "/api/status", null, null, "Accept-Encoding", "gzip");
        assertThat(status.header("Content-Encoding")).isNull();
    }

    @Test
    void rateAndConcurrencyLimitsAnswer429() throws Exception {
        fleet = TestFleet.plain(dir, b -> b
                .limit(FleetServerConfig.ENDPOINT_ENROLL, EndpointLimit.ENROLL.withRate(Duration.ofHours(1), 2))
                .limit(FleetServerConfig.ENDPOINT_CHECKIN, EndpointLimit.CHECKIN.withMaxConcurrent(1))
                .checkin(new CheckinSettings(Duration.ofSeconds(40), Duration.ZERO, Duration.ofSeconds(1),
                        Duration.ofMinutes(1), Duration.ofMillis(200))));
        TestFleet.Agent a = fleet.enroll();
        fleet.enroll();
        ApiClient.Reply third = fleet.client.enroll(fleet.token.token());
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().path("error").asText()).isEqualTo("TooManyRequests");
        assertThat(fleet.server.store().listAgents()).hasSize(2);

        fleet.client.checkin(a.id(), a.key(), ApiClient.checkinBody(null));
        fleet.client.ack(a.id(), a.key(), "policy:test-policy:1");
        CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(() -> fleet.client.checkin(
                a.id(), a.key(), ApiClient.checkinBody(null)));
        AgentFlowTest.awaitTrue(() -> fleet.server.waitingCheckins() == 1, "one check-in waits");
        ApiClient.Reply busy = fleet.client.checkin(a.id(), a.key(), ApiClient.checkinBody(null));
        assertThat(busy.status()).isEqualTo(429);
        fleet.server.actions().settings(List.of(a.id()), "info");
        assertThat(waiting.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
        // the permit is back once the response is written
        AgentFlowTest.awaitTrue(() -> fleet.client.checkin(a.id(), a.key(), ApiClient.checkinBody(null))
                .status() == 200, "check-in accepted again");
    }

    @Test
    void oversizedHeadersAre431AndSlowClientsAreDisconnected() throws Exception {
        fleet = TestFleet.plain(dir, b -> b.http(HttpSettings.defaults("127.0.0.1", 0)
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(500))
                .withMaxConnections(3)));
        String big = "x".repeat(10 * 1024);
        String reply = rawExchange(fleet.server.port(), ("GET /api/status HTTP/1.1\r\nHost: x\r\nX-Big: " + big
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(reply).startsWith("HTTP/1.1 431");
        assertThat(reply).contains("ErrHeaderTooLarge");

        // a client that never sends its headers is closed after the read-header timeout
        try (Socket s = new Socket("127.0.0.1", fleet.server.port())) {
            s.setSoTimeout(10_000);
            assertThat(untilClosed(s.getInputStream())).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtItsIdleTimeoutNotAtAnEarlierLongerOne() throws Exception {
        // read-header 3 s is armed first; the idle timeout (300 ms) after the response must come sooner than that
        fleet = TestFleet.plain(dir, b -> b.http(HttpSettings.defaults("127.0.0.1", 0)
                .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(300))));
        try (Socket s = new Socket("127.0.0.1", fleet.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            assertThat(untilClosed(in)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void aBodyArrivingAfterTheReadHeaderTimeoutButWithinTheReadTimeoutIsServed() throws Exception {
        // the read-header timer (300 ms) fires while the read timeout (3 s) holds: it must wait on, not close
        fleet = TestFleet.plain(dir, b -> b.http(HttpSettings.defaults("127.0.0.1", 0)
                .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(3))));
        try (Socket s = new Socket("127.0.0.1", fleet.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/fleet/agents/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(1000); // the slow client under test: past the read-header timeout, within the read timeout
            out.write("{}".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(reply).isEqualTo("HTTP/1.1 401"); // answered (no token), not closed
        }
    }

    @Test
    void connectionsBeyondTheCapAreClosed() throws Exception {
        fleet = TestFleet.plain(dir, b -> b.http(HttpSettings.defaults("127.0.0.1", 0).withMaxConnections(2)));
        try (Socket a = new Socket("127.0.0.1", fleet.server.port());
             Socket b = new Socket("127.0.0.1", fleet.server.port())) {
            assertThat(b.isConnected()).isTrue();
            AgentFlowTest.awaitTrue(() -> fleet.server.openConnections() == 2, "two connections open");
            try (Socket c = new Socket("127.0.0.1", fleet.server.port())) {
                c.setSoTimeout(5000);
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
            a.getOutputStream().write("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            a.setSoTimeout(5000);
            assertThat(new String(a.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
        }
    }

    /** Reads (and drops) what is left until the server closes; how long that took. */
    private static Duration untilClosed(InputStream in) throws IOException {
        long t0 = System.nanoTime();
        while (in.read() != -1) {
            // the rest of a response, then the close
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static byte[] chunkedRequest(String token, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST /api/fleet/agents/enroll HTTP/1.1\r\nHost: x\r\nAuthorization: ApiKey " + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int off = 0; off < body.length; off += 16 * 1024) {
            int n = Math.min(16 * 1024, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Writes a raw request and reads until the server closes or 5 s pass. */
    static String rawExchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException ignored) {
                    // the server may close before reading everything
                }
            });
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")
                            && got.toString(StandardCharsets.US_ASCII).contains("}")) {
                        break;
                    }
                }
            } catch (IOException e) {
                // reset after the response is fine
            }
            writer.cancel(true);
            return got.toString(StandardCharsets.US_ASCII);
        }
    }
}
