package dev.flotilla.cli.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.tls.ServerTls;
import dev.flotilla.tls.TlsSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real Fleet Server (server module) on a free port for the agent's end-to-end tests, with a policy and a token. */
final class TestFleetServer implements AutoCloseable {
    static final String POLICY = "agents-policy";
    static final CheckinSettings FAST = new CheckinSettings(Duration.ofSeconds(5), Duration.ZERO,
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(200));
    private static final ObjectMapper JSON = new ObjectMapper();

    final FleetServer server;
    final String token;
    final String tokenId;
    private final ServerTls tls;

    private TestFleetServer(FleetServer server, ServerTls tls, Map<String, Object> policy) {
        this.server = server;
        this.tls = tls;
        putPolicy(policy);
        var created = server.enrollmentTokens().create("test", POLICY);
        this.token = created.token();
        this.tokenId = created.key().id();
    }

    /** HTTPS with the given {@code ssl.*} server settings. */
    static TestFleetServer https(Path dir, Map<String, Object> ssl, Map<String, Object> policy) {
        return https(dir, 0, ssl, policy);
    }

    /** HTTPS on a given port (0: any free one); the same {@code dir} reopens the same store. */
    static TestFleetServer https(Path dir, int port, Map<String, Object> ssl, Map<String, Object> policy) {
        ServerTls tls = ServerTls.create(TlsSettings.fromMap(ssl, "test Fleet Server"), "test Fleet Server");
        FleetServer s = FleetServer.start(base(dir).port(port).tls(tls::newHandler, "test").build());
        return new TestFleetServer(s, tls, policy);
    }

    /** Plain HTTP on loopback. */
    static TestFleetServer plain(Path dir, Map<String, Object> policy) {
        FleetServer s = FleetServer.start(base(dir).insecureHttp(true).build());
        return new TestFleetServer(s, null, policy);
    }

    private static FleetServerConfig.Builder base(Path dir) {
        return FleetServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir.resolve("fleet-data")).checkin(FAST)
                .changePollInterval(Duration.ofMillis(100)).shutdownGrace(Duration.ofSeconds(2)).workerThreads(4).ioThreads(1);
    }

    void putPolicy(Map<String, Object> policy) {
        server.policies().put(POLICY, (ObjectNode) JSON.valueToTree(policy));
    }

    int port() {
        return server.port();
    }

    AgentRecord agent(String id) {
        return server.store().findAgent(id).orElseThrow(() -> new AssertionError("no agent " + id + " in the store"));
    }

    int agentCount() {
        return server.store().listAgents().size();
    }

    @Override
    public void close() {
        server.close();
        if (tls != null) {
            tls.close();
        }
    }
}
