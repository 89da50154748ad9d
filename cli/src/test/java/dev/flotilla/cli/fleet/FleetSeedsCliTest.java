package dev.flotilla.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.cli.Flotilla;
import dev.flotilla.pki.Pem;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.management.ManagementSettings;
import dev.flotilla.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' "Kibana > Fleet > Settings" steps done with {@code flotilla fleet}, against a real Fleet Server with
 * its management API; an agent (plain HTTP requests to the agent API) receives exactly those settings, each
 * change arriving in its waiting long poll.
 */
class FleetSeedsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;
    private FleetServer server;
    private Path data;

    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() {
        ConnectionOptions.environment = Map.of();
        ConnectionOptions.defaultDataDir = dir.resolve("no-default-data-dir");
        data = dir.resolve("data");
        server = FleetServer.start(FleetServerConfig.builder().host("127.0.0.1").port(0).insecureHttp(true)
                .dataDir(data).changePollInterval(Duration.ofMillis(100)).shutdownGrace(Duration.ofSeconds(3))
                .checkin(new CheckinSettings(Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(1),
                        Duration.ofSeconds(120), Duration.ofMillis(100)))
                .workerThreads(8).ioThreads(2)
                .management(ManagementSettings.defaults().withAddress("127.0.0.1", 0)).build());
    }

    @AfterEach
    void stop() {
        server.close();
        ConnectionOptions.environment = System.getenv();
    }

    @Test
    void seedSettingsStepsReachTheAgentExactly() throws Exception {
        TestCertificates certs = TestCertificates.rsa(dir.resolve("certs"));
        String d = "--data-dir=" + data;
        ok(fleet("policies", "create", d, "--id=agents", "--name=Agents"));
        Run token = ok(fleet("tokens", "create", d, "--policy=agents", "--name=laptops"));
        String enrollmentToken = token.out().lines().reduce((a, b) -> b).orElseThrow().trim();

        // Fleet Server hosts: https://192.0.2.1:8220
        ok(fleet("server-hosts", "set", d, "--url=https://192.0.2.1:8220"));
        // default output: https://192.0.2.0:9200 with the Elasticsearch CA trusted fingerprint (as pasted, colons)
        ok(fleet("outputs", "set", d, "--hosts=https://192.0.2.0:9200",
                "--ca-trusted-fingerprint=" + colons(certs.caFingerprint())));

        JsonNode enrolled = agentCall("/api/fleet/agents/enroll", enrollmentToken, enrollBody()).join();
        String agentId = enrolled.path("item").path("id").asText();
        String agentKey = enrolled.path("item").path("access_api_key").asText();
        JsonNode policy = policyOf(checkin(agentId, agentKey, "1s").get(10, TimeUnit.SECONDS));
        assertEquals(expectedOutput(ssl -> ssl.put("ca_trusted_fingerprint", certs.caFingerprint())),
                policy.path("outputs"));
        assertEquals(JSON.readTree("{\"hosts\":[\"https://192.0.2.1:8220\"]}"), policy.path("fleet"));
        ack(agentId, agentKey, policy);

        // instead of the fingerprint: ssl.certificate_authorities in Advanced YAML, as a path on the agents
        CompletableFuture<JsonNode> waiting = waitingCheckin(agentId, agentKey);
        ok(fleet("outputs", "set", d, "--ca-trusted-fingerprint=",
                "--config-yaml=ssl.certificate_authorities: [\"/path/to/your/elasticsearch-ca.crt\"]"));
        policy = policyOf(waiting.get(15, TimeUnit.SECONDS));
        assertEquals(expectedOutput(ssl -> ssl.putArray("certificate_authorities")
                .add("/path/to/your/elasticsearch-ca.crt")), policy.path("outputs"));
        ack(agentId, agentKey, policy);

        // then the pasted certificate, as the seed writes it
        String pem = Pem.certificate(certs.ca().certificate());
        Path yaml = dir.resolve("advanced.yml");
        Files.writeString(yaml, "ssl:\n  certificate_authorities:\n  - |\n    "
                + pem.strip().replace("\n", "\n    ") + "\n");
        waiting = waitingCheckin(agentId, agentKey);
        ok(fleet("outputs", "set", d, "--config-yaml-file=" + yaml));
        policy = policyOf(waiting.get(15, TimeUnit.SECONDS));
        JsonNode cas = policy.path("outputs").path("default").path("ssl").path("certificate_authorities");
        assertEquals(1, cas.size());
        assertEquals(certs.ca().certificate(), Pem.parseCertificates(cas.get(0).asText(), "policy").get(0));
        assertEquals(expectedOutput(ssl -> ssl.putArray("certificate_authorities").add(cas.get(0).asText())),
                policy.path("outputs"));
        assertEquals("https://192.0.2.1:8220", policy.path("fleet").path("hosts").get(0).asText());

        Run table = ok(fleet("outputs", "list", d));
        assertTrue(table.out().contains("https://192.0.2.0:9200"), table.out());
        assertTrue(table.out().startsWith("ID"), table.out());
        Run agents = ok(fleet("agents", "list", d));
        assertTrue(agents.out().contains(agentId), agents.out());
        Run asJson = ok(fleet("agents", "list", d, "--json"));
        assertEquals(agentId, JSON.readTree(asJson.out()).path("items").get(0).path("id").asText());
    }

    @Test
    void badSettingsAreRefusedWithTheFieldAndChangeNothing() throws Exception {
        String d = "--data-dir=" + data;
        ok(fleet("outputs", "set", d, "--hosts=https://192.0.2.0:9200"));
        String before = ok(fleet("outputs", "show", d, "--json")).out();

        Run fp = fleet("outputs", "set", d, "--ca-trusted-fingerprint=12:34:zz");
        assertEquals(1, fp.exit());
        assertTrue(fp.err().contains("ca_trusted_fingerprint"), fp.err());
        assertTrue(fp.err().contains("64 hex digits"), fp.err());
        assertFalse(fp.err().contains("Exception"), "a message, not a stack trace: " + fp.err());

        Run yaml = fleet("outputs", "set", d, "--config-yaml=ssl: [unclosed");
        assertEquals(1, yaml.exit());
        assertTrue(yaml.err().contains("config_yaml: not valid YAML"), yaml.err());

        Run http = fleet("outputs", "set", d, "--hosts=http://192.0.2.0:9200",
                "--ssl-certificate-authorities=/etc/es-ca.crt");
        assertEquals(1, http.exit());
        assertTrue(http.err().contains("hosts[0]") && http.err().contains("not https"), http.err());

        Path badPem = dir.resolve("bad.yml");
        Files.writeString(badPem, "ssl.certificate_authorities:\n- |\n  -----BEGIN CERTIFICATE-----\n  bm9wZQ==\n"
                + "  -----END CERTIFICATE-----\n");
        Run pem = fleet("outputs", "set", d, "--config-yaml-file=" + badPem);
        assertEquals(1, pem.exit());
        assertTrue(pem.err().contains("certificate_authorities[0]") && pem.err().contains("does not parse"),
                pem.err());
        assertEquals(before, ok(fleet("outputs", "show", d, "--json")).out(), "nothing was saved");
    }

    @Test
    void tokensRevokedWithTheCliCannotEnroll() throws Exception {
        String d = "--data-dir=" + data;
        ok(fleet("policies", "create", d, "--id=p"));
        String token = ok(fleet("tokens", "create", d, "--policy=p", "--expires=1h")).out().lines()
                .reduce((a, b) -> b).orElseThrow().trim();
        Run list = ok(fleet("tokens", "list", d));
        assertFalse(list.out().contains(token), "the token is shown once");
        String id = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertEquals(200, agentStatus(token));
        ok(fleet("tokens", "revoke", d, id));
        assertEquals(401, agentStatus(token));
        assertTrue(ok(fleet("tokens", "list", d)).out().contains("revoked"));
    }

    @Test
    void withoutConnectionDetailsItSaysWhatToPass() {
        Run r = fleet("agents", "list");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--data-dir"), r.err());
        Run wrongKey = fleet("agents", "list", "--management-url=" + server.management().url(),
                "--admin-key-file=" + dir.resolve("missing.key"));
        assertEquals(1, wrongKey.exit());
        assertTrue(wrongKey.err().contains("missing.key"), wrongKey.err());
        ConnectionOptions.environment = Map.of("FLOTILLA_FLEET_URL", server.management().url().toString(),
                "FLOTILLA_ADMIN_KEY", "wrong-key-wrong-key-wrong-key");
        Run refused = fleet("agents", "list");
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("401"), refused.err());
        ConnectionOptions.environment = Map.of("FLOTILLA_DATA_DIR", data.toString());
        assertEquals(0, fleet("agents", "list").exit());
    }

    private Run fleet(String... args) {
        List<String> all = new ArrayList<>(List.of("fleet"));
        all.addAll(List.of(args));
        var cl = Flotilla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(all.toArray(new String[0]));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run ok(Run r) {
        assertEquals(0, r.exit(), () -> "exit " + r.exit() + "\nout: " + r.out() + "\nerr: " + r.err());
        return r;
    }

    private static JsonNode expectedOutput(java.util.function.Consumer<ObjectNode> ssl) {
        ObjectNode outputs = JSON.createObjectNode();
        ObjectNode def = outputs.putObject("default");
        def.put("type", "elasticsearch");
        def.putArray("hosts").add("https://192.0.2.0:9200");
        ssl.accept(def.putObject("ssl"));
        return outputs;
    }

    private static ObjectNode enrollBody() {
        ObjectNode body = JSON.createObjectNode().put("type", "PERMANENT");
        body.putObject("metadata").putObject("local").putObject("host").put("hostname", "seed-agent");
        return body;
    }

    private int agentStatus(String token) {
        return agentSend("/api/fleet/agents/enroll", token, enrollBody()).join().statusCode();
    }

    private CompletableFuture<JsonNode> agentCall(String path, String key, JsonNode body) {
        return agentSend(path, key, body).thenApply(r -> {
            if (r.statusCode() != 200) {
                throw new AssertionError(path + " -> " + r.statusCode() + " " + r.body());
            }
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> agentSend(String path, String key, JsonNode body) {
        URI uri = server.url().resolve(path);
        HttpRequest r = HttpRequest.newBuilder(uri).header("Authorization", "ApiKey " + key)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<JsonNode> checkin(String id, String key, String pollTimeout) {
        ObjectNode body = JSON.createObjectNode().put("status", "online").put("message", "Running")
                .put("poll_timeout", pollTimeout);
        return agentCall("/api/fleet/agents/" + id + "/checkin", key, body);
    }

    /** A check-in that is waiting in its long poll when this returns. */
    private CompletableFuture<JsonNode> waitingCheckin(String id, String key) throws InterruptedException {
        int before = server.waitingCheckins();
        CompletableFuture<JsonNode> f = checkin(id, key, "10m");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.waitingCheckins() <= before) {
            if (f.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("the check-in is not waiting: " + (f.isDone() ? f.join() : "timeout"));
            }
            Thread.sleep(20);
        }
        return f;
    }

    private void ack(String id, String key, JsonNode policy) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("events").addObject().put("type", "ACTION_RESULT").put("subtype", "ACKNOWLEDGED")
                .put("agent_id", id).put("action_id", "policy:" + policy.path("id").asText() + ":"
                        + policy.path("revision").asLong())
                .put("message", "ok").put("timestamp", "2026-01-01T00:00:00Z");
        agentCall("/api/fleet/agents/" + id + "/acks", key, body).join();
    }

    private static JsonNode policyOf(JsonNode checkin) {
        for (JsonNode a : checkin.path("actions")) {
            if (a.path("type").asText().equals("POLICY_CHANGE")) {
                return a.path("data").path("policy");
            }
        }
        throw new AssertionError("no POLICY_CHANGE in " + checkin);
    }

    private static String colons(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            b.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return b.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
