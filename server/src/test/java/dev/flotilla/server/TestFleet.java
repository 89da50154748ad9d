package dev.flotilla.server;

import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.http.SslHandlerFactory;
import dev.flotilla.server.policy.Policies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/** A Fleet Server on a free port with a SQLite store in a temp dir, a policy, an enrollment token and a client. */
final class TestFleet implements AutoCloseable {
    static final String POLICY = "test-policy";
    static final CheckinSettings FAST = new CheckinSettings(Duration.ofSeconds(3), Duration.ZERO,
            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(200));

    final FleetServer server;
    final ApiClient client;
    final EnrollmentTokens.Created token;

    private TestFleet(FleetServer server, ApiClient client, EnrollmentTokens.Created token) {
        this.server = server;
        this.client = client;
        this.token = token;
    }

    static TestFleet plain(Path dir) {
        return plain(dir, b -> { });
    }

    static TestFleet plain(Path dir, Consumer<FleetServerConfig.Builder> customize) {
        FleetServerConfig.Builder b = base(dir).host("127.0.0.1").insecureHttp(true);
        customize.accept(b);
        FleetServer server = FleetServer.start(b.build());
        return ready(server, null);
    }

    static TestFleet tls(Path dir, SslHandlerFactory tls, SSLContext clientSsl,
                         Consumer<FleetServerConfig.Builder> customize) {
        FleetServerConfig.Builder b = base(dir).host("127.0.0.1").tls(tls, "test");
        customize.accept(b);
        FleetServer server = FleetServer.start(b.build());
        return ready(server, clientSsl);
    }

    static TestFleet tls(Path dir, dev.flotilla.tls.TlsSettings settings, SSLContext clientSsl) {
        FleetServer server = FleetServer.start(base(dir).host("127.0.0.1").tls(settings).build());
        return ready(server, clientSsl);
    }

    static FleetServerConfig.Builder base(Path dir) {
        return FleetServerConfig.builder().port(0).dataDir(dir.resolve("data")).checkin(FAST)
                .changePollInterval(Duration.ofMillis(100)).shutdownGrace(Duration.ofSeconds(5)).workerThreads(8)
                .ioThreads(2);
    }

    private static TestFleet ready(FleetServer server, SSLContext clientSsl) {
        try {
            server.policies().put(POLICY, Policies.starter(List.of(server.url().toString()), "https://es:9200"));
            EnrollmentTokens.Created token = server.enrollmentTokens().create("test", POLICY);
            return new TestFleet(server, new ApiClient(server.url(), clientSsl), token);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Enrolls one agent and returns (id, access key). */
    Agent enroll() {
        ApiClient.Reply r = client.enroll(token.token());
        if (r.status() != 200) {
            throw new AssertionError("enroll failed: " + r);
        }
        return new Agent(r.json().path("item").path("id").asText(), r.json().path("item").path("access_api_key")
                .asText());
    }

    record Agent(String id, String key) {
    }

    @Override
    public void close() {
        server.close();
    }
}
