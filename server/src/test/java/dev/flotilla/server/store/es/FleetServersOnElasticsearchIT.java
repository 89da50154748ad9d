package dev.flotilla.server.store.es;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.testing.es.ElasticsearchExtension;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import dev.flotilla.tls.TlsSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Fleet Server processes' worth of servers, each with its own Elasticsearch store on one cluster: an agent
 * enrolled through one gets a policy changed through the other, and a cluster outage shows as DEGRADED and 503.
 */
class FleetServersOnElasticsearchIT {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final CheckinSettings FAST = new CheckinSettings(Duration.ofSeconds(20), Duration.ZERO,
            Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(200));

    static ElasticsearchFleetStore storeA;
    static ElasticsearchFleetStore storeB;
    static FleetServer serverA;
    static FleetServer serverB;

    @BeforeAll
    static void startServers() {
        ElasticsearchStoreConfig config = ElasticsearchStoreConfig.of(ES.node().uri(), ES.node().serviceToken(),
                TlsSettings.builder().caTrustedFingerprint(ES.node().certificates().caFingerprint()).build())
                .withRequestTimeout(Duration.ofSeconds(5));
        storeA = ElasticsearchFleetStore.connect(config);
        storeB = ElasticsearchFleetStore.connect(config);
        serverA = FleetServer.start(server(storeA));
        serverB = FleetServer.start(server(storeB));
    }

    private static FleetServerConfig server(ElasticsearchFleetStore store) {
        return FleetServerConfig.builder().host("127.0.0.1").port(0).insecureHttp(true).store(store).checkin(FAST)
                .changePollInterval(Duration.ofMillis(200)).shutdownGrace(Duration.ofSeconds(2)).workerThreads(4)
                .ioThreads(1).build();
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable c : new AutoCloseable[] {serverA, serverB, storeA, storeB}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void aPolicyChangedThroughOneServerReachesAnAgentWaitingOnTheOther() throws Exception {
        String policyId = "shared-" + System.nanoTime();
        serverA.policies().put(policyId, Policies.starter(List.of(serverA.url().toString()), ES.node().uri().toString()));
        EnrollmentTokens.Created token = serverA.enrollmentTokens().create("shared", policyId);

        JsonNode enrolled = post(serverB, "/api/fleet/agents/enroll", token.token(), enrollBody());
        assertThat(enrolled.path("item").path("policy_id").asText()).isEqualTo(policyId);
        String agentId = enrolled.path("item").path("id").asText();
        String key = enrolled.path("item").path("access_api_key").asText();

        JsonNode first = post(serverB, "/api/fleet/agents/" + agentId + "/checkin", key, checkinBody(null));
        JsonNode change = first.path("actions").get(0);
        assertThat(change.path("id").asText()).isEqualTo("policy:" + policyId + ":1");
        post(serverB, "/api/fleet/agents/" + agentId + "/acks", key, ack(agentId, change.path("id").asText()));

        Instant started = Instant.now();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> post(serverB,
                "/api/fleet/agents/" + agentId + "/checkin", key, checkinBody(first.path("ack_token").asText())));
        awaitWaitingCheckin(serverB);
        ObjectNode changed = Policies.starter(List.of(serverA.url().toString()), ES.node().uri().toString());
        changed.put("description", "changed through server A");
        serverA.policies().put(policyId, changed);

        JsonNode woken = waiting.get();
        assertThat(Duration.between(started, Instant.now())).isLessThan(FAST.defaultPoll());
        assertThat(woken.path("actions")).hasSize(1);
        assertThat(woken.path("actions").get(0).path("id").asText()).isEqualTo("policy:" + policyId + ":2");
        assertThat(woken.path("actions").get(0).path("data").path("policy").path("revision").asLong()).isEqualTo(2);
        assertThat(storeA.findAgent(agentId)).get().satisfies(a -> assertThat(a.policyRevision()).isEqualTo(1));
    }

    @Test
    void aClusterOutageIsDegradedAnd503ThenRecovers() throws Exception {
        String policyId = "outage-" + System.nanoTime();
        serverA.policies().put(policyId, Policies.starter(List.of(serverA.url().toString()), ES.node().uri().toString()));
        EnrollmentTokens.Created token = serverA.enrollmentTokens().create("outage", policyId);
        assertThat(status(serverA).statusCode()).isEqualTo(200);

        ES.node().stop();
        try {
            HttpResponse<String> degraded = status(serverA);
            assertThat(degraded.statusCode()).isEqualTo(503);
            assertThat(degraded.body()).contains("\"status\":\"DEGRADED\"");
            HttpResponse<String> enroll = send(serverA, "/api/fleet/agents/enroll", token.token(), enrollBody());
            assertThat(enroll.statusCode()).as(enroll.body()).isEqualTo(503);
        } finally {
            ES.node().start();
        }

        assertThat(status(serverA).statusCode()).isEqualTo(200);
        JsonNode enrolled = post(serverB, "/api/fleet/agents/enroll", token.token(), enrollBody());
        assertThat(enrolled.path("item").path("policy_id").asText()).isEqualTo(policyId);
    }

    private static void awaitWaitingCheckin(FleetServer server) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (server.waitingCheckins() == 0) {
            assertThat(Instant.now()).as("a check-in should be waiting on " + server.url()).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private static ObjectNode enrollBody() {
        ObjectNode body = JSON.createObjectNode().put("type", "PERMANENT");
        ObjectNode metadata = body.putObject("metadata");
        metadata.putObject("local").putObject("host").put("hostname", "es-it-host");
        metadata.putObject("user_provided");
        metadata.putArray("tags");
        return body;
    }

    private static ObjectNode checkinBody(String ackToken) {
        ObjectNode body = JSON.createObjectNode().put("status", "online").put("message", "Running");
        if (ackToken != null) {
            body.put("ack_token", ackToken);
        }
        return body;
    }

    private static ObjectNode ack(String agentId, String actionId) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("events").addObject().put("type", "ACTION_RESULT").put("subtype", "ACKNOWLEDGED")
                .put("agent_id", agentId).put("action_id", actionId).put("message", "ok")
                .put("timestamp", Instant.now().toString());
        return body;
    }

    private static HttpResponse<String> status(FleetServer server) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve("/api/status")).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode post(FleetServer server, String path, String apiKey, JsonNode body) {
        HttpResponse<String> r = send(server, path, apiKey, body);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> send(FleetServer server, String path, String apiKey, JsonNode body) {
        URI uri = server.url().resolve(path);
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "ApiKey " + apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
