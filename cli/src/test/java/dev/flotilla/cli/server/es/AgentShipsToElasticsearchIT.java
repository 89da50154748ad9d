package dev.flotilla.cli.server.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.output.BulkResult;
import dev.flotilla.agent.output.ElasticsearchOutput;
import dev.flotilla.agent.output.OutputException;
import dev.flotilla.agent.output.OutputSettings;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.store.es.ElasticsearchFleetStore;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.testing.es.ElasticsearchExtension;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The seeds' whole picture on one real cluster: a Fleet Server keeping its state in Elasticsearch (started from
 * the --fleet-server-es* flags) hands an enrolled agent a policy whose output carries a least-privilege user and
 * the cluster's CA fingerprint; the agent's Elasticsearch output ships events with them, and a search finds them.
 */
class AgentShipsToElasticsearchIT {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder()
            .user("shipper", "shipper-password", ElasticsearchLauncher.OUTPUT_WRITER_ROLE)
            .role("events_reader", """
                    events_reader:
                      indices:
                        - names: ["logs-*"]
                          privileges: ["read"]
                    """)
            .user("reader", "reader-password", "events_reader"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ElasticsearchStoreOptions es;
    }

    @TempDir
    Path temp;

    @Test
    void eventsShippedWithThePolicysOutputCredentialsAreFoundBySearch() throws Exception {
        String fingerprint = ES.node().certificates().caFingerprint();
        Path token = Files.writeString(temp.resolve("token"), ES.node().serviceToken());
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--fleet-server-es=" + ES.node().uri(),
                "--fleet-server-service-token-path=" + token, "--fleet-server-es-ca-trusted-fingerprint=" + fingerprint);
        try (ElasticsearchFleetStore store = probe.es.connect();
             FleetServer server = FleetServer.start(FleetServerConfig.builder().host("127.0.0.1").port(0)
                     .insecureHttp(true).store(store).shutdownGrace(Duration.ofSeconds(2)).build())) {
            ObjectNode policy = Policies.starter(List.of(server.url().toString()), ES.node().uri().toString());
            ObjectNode output = (ObjectNode) policy.path("outputs").path("default");
            output.put("username", "shipper").put("password", "shipper-password")
                    .put("ssl.ca_trusted_fingerprint", fingerprint);
            server.policies().put("e2e", policy);
            EnrollmentTokens.Created enrollment = server.enrollmentTokens().create("e2e", "e2e");

            JsonNode item = post(server, "/api/fleet/agents/enroll", enrollment.token(), enrollBody()).path("item");
            JsonNode checkin = post(server, "/api/fleet/agents/" + item.path("id").asText() + "/checkin",
                    item.path("access_api_key").asText(), JSON.createObjectNode().put("status", "online").put("message", "Running"));
            Map<String, Object> delivered = JSON.convertValue(checkin.path("actions").get(0).path("data")
                    .path("policy"), new TypeReference<Map<String, Object>>() { });

            String marker = UUID.randomUUID().toString();
            BulkResult shipped = new ElasticsearchOutput(OutputSettings.fromPolicy(delivered, "default"))
                    .send(List.of(event(marker, 1), event(marker, 2)));

            assertThat(shipped.accepted()).isEqualTo(2);
            assertThat(shipped.dropped()).isZero();
            JsonNode found = searchUntil(marker, 2);
            assertThat(found.path("hits").path("total").path("value").asInt()).isEqualTo(2);
            assertThat(found.toString()).contains(marker);
        }
    }

    @Test
    void anOutputWithAnotherCasFingerprintRefusesTheCluster() {
        TestCertificates other = TestCertificates.rsa(temp.resolve("other"));
        Map<String, Object> policy = Map.of("outputs", Map.of("default", Map.of("type", "elasticsearch",
                "hosts", List.of(ES.node().uri().toString()), "username", "shipper", "password", "shipper-password",
                "ssl.ca_trusted_fingerprint", other.caFingerprint())));
        ElasticsearchOutput output = new ElasticsearchOutput(OutputSettings.fromPolicy(policy, "default"));

        assertThatThrownBy(() -> output.send(List.of(event("refused", 1)))).isInstanceOf(OutputException.class);
    }

    @Test
    void anOutputUserWithTheWrongPasswordShipsNothing() {
        Map<String, Object> policy = Map.of("outputs", Map.of("default", Map.of("type", "elasticsearch",
                "hosts", List.of(ES.node().uri().toString()), "username", "shipper", "password", "wrong-password",
                "ssl.ca_trusted_fingerprint", ES.node().certificates().caFingerprint())));
        ElasticsearchOutput output = new ElasticsearchOutput(OutputSettings.fromPolicy(policy, "default"));
        String marker = UUID.randomUUID().toString();

        assertThatThrownBy(() -> output.send(List.of(event(marker, 1)))).isInstanceOf(OutputException.class);
    }

    private static byte[] event(String marker, int n) {
        ObjectNode e = JSON.createObjectNode().put("@timestamp", Instant.now().toString())
                .put("message", "event " + n + " " + marker).put("marker", marker);
        e.putObject("data_stream").put("type", "logs").put("dataset", "flotilla.e2e").put("namespace", "default");
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Searches until {@code expected} hits are visible (a bulk write is searchable after the next refresh). */
    private static JsonNode searchUntil(String marker, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode found = search(marker);
        while (found.path("hits").path("total").path("value").asInt() < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            found = search(marker);
        }
        return found;
    }

    private static JsonNode search(String marker) throws Exception {
        String basic = Base64.getEncoder().encodeToString("reader:reader-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = ES.node().send(HttpRequest.newBuilder(ES.node().uri()
                        .resolve("/logs-flotilla.e2e-default/_search?q=marker:" + marker))
                .header("Authorization", "Basic " + basic));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static ObjectNode enrollBody() {
        ObjectNode body = JSON.createObjectNode().put("type", "PERMANENT");
        ObjectNode metadata = body.putObject("metadata");
        metadata.putObject("local").putObject("host").put("hostname", "e2e-host");
        metadata.putObject("user_provided");
        metadata.putArray("tags");
        return body;
    }

    private static JsonNode post(FleetServer server, String path, String apiKey, JsonNode body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.url().resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "ApiKey " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
