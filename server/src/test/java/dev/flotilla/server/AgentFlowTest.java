package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.store.AgentRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Enroll -> check-in -> POLICY_CHANGE -> ack -> revision recorded, over plain HTTP on loopback. */
@Timeout(60)
class AgentFlowTest {
    @TempDir
    Path dir;
    TestFleet fleet;

    @BeforeEach
    void start() {
        fleet = TestFleet.plain(dir);
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    @Test
    void enrollAnswersTheReferenceShapeAndStoresOnlyAKeyHash() throws Exception {
        ApiClient.Reply r = fleet.client.enroll(fleet.token.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Elastic-Api-Version")).isEqualTo("2023-06-01");
        JsonNode item = r.json().path("item");
        assertThat(OpenApiSchemas.problems("enrollResponse", r.json())).isEmpty();
        assertThat(r.json().path("action").asText()).isEqualTo("created");
        assertThat(item.path("policy_id").asText()).isEqualTo(TestFleet.POLICY);
        assertThat(item.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        String agentId = item.path("id").asText();
        assertThat(item.path("local_metadata").path("elastic").path("agent").path("id").asText()).isEqualTo(agentId);

        AgentRecord stored = fleet.server.store().findAgent(agentId).orElseThrow();
        assertThat(stored.active()).isTrue();
        assertThat(stored.policyRevision()).isEqualTo(-1);
        assertThat(stored.accessApiKeyId()).isEqualTo(item.path("access_api_key_id").asText());

        String decoded = new String(java.util.Base64.getDecoder().decode(item.path("access_api_key").asText()),
                StandardCharsets.UTF_8);
        String secret = decoded.substring(decoded.indexOf(':') + 1);
        fleet.close();
        for (Path f : List.of(dir.resolve("data/fleet.db"), dir.resolve("data/fleet.db-wal"))) {
            if (Files.exists(f)) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
            }
        }
    }

    @Test
    void checkinDeliversPolicyChangeAndAckRecordsTheRevision() {
        TestFleet.Agent agent = fleet.enroll();
        ApiClient.Reply first = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(OpenApiSchemas.problems("checkinResponse", first.json())).isEmpty();
        JsonNode actions = first.json().path("actions");
        assertThat(actions).hasSize(1);
        JsonNode change = actions.get(0);
        assertThat(change.path("type").asText()).isEqualTo("POLICY_CHANGE");
        assertThat(change.path("id").asText()).isEqualTo("policy:test-policy:1");
        assertThat(change.path("agent_id").asText()).isEqualTo(agent.id());
        JsonNode policy = change.path("data").path("policy");
        assertThat(policy.path("id").asText()).isEqualTo(TestFleet.POLICY);
        assertThat(policy.path("revision").asLong()).isEqualTo(1);
        assertThat(policy.path("fleet").path("hosts").get(0).asText()).isEqualTo(fleet.server.url().toString());
        assertThat(policy.path("outputs").path("default").path("type").asText()).isEqualTo("elasticsearch");

        ApiClient.Reply ack = fleet.client.ack(agent.id(), agent.key(), change.path("id").asText());
        assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
        assertThat(OpenApiSchemas.problems("ackResponse", ack.json())).isEmpty();
        assertThat(ack.json().path("errors").asBoolean()).isFalse();
        assertThat(fleet.server.store().findAgent(agent.id()).orElseThrow().policyRevision()).isEqualTo(1);

        // Nothing new: the long poll runs to its (3 s test) timeout and answers without actions.
        ApiClient.Reply idle = fleet.client.checkin(agent.id(), agent.key(),
                ApiClient.checkinBody(first.json().path("ack_token").asText()));
        assertThat(idle.status()).isEqualTo(200);
        assertThat(idle.json().path("actions")).isEmpty();
    }

    @Test
    void ackOfAnUnknownActionIsA404Item() {
        TestFleet.Agent agent = fleet.enroll();
        ApiClient.Reply ack = fleet.client.ack(agent.id(), agent.key(), "no-such-action");
        assertThat(ack.status()).isEqualTo(404);
        assertThat(ack.json().path("errors").asBoolean()).isTrue();
        assertThat(ack.json().path("items").get(0).path("status").asInt()).isEqualTo(404);
        assertThat(OpenApiSchemas.problems("ackResponse", ack.json())).isEmpty();
    }

    @Test
    void storedActionsAreDeliveredOnceAndUnenrollAckDeactivates() {
        TestFleet.Agent agent = fleet.enroll();
        ApiClient.Reply first = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        fleet.client.ack(agent.id(), agent.key(), first.json().path("actions").get(0).path("id").asText());

        String settingsId = fleet.server.actions().settings(List.of(agent.id()), "debug").id();
        ApiClient.Reply second = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        assertThat(OpenApiSchemas.problems("checkinResponse", second.json())).isEmpty();
        assertThat(second.json().path("actions")).hasSize(1);
        assertThat(second.json().path("actions").get(0).path("type").asText()).isEqualTo("SETTINGS");
        assertThat(second.json().path("actions").get(0).path("data").path("log_level").asText()).isEqualTo("debug");
        assertThat(second.json().path("ack_token").asText()).isEqualTo(settingsId);

        String unenrollId = fleet.server.actions().unenroll(List.of(agent.id())).id();
        ApiClient.Reply third = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(settingsId));
        assertThat(third.json().path("actions")).hasSize(1);
        assertThat(third.json().path("actions").get(0).path("id").asText()).isEqualTo(unenrollId);

        assertThat(fleet.client.ack(agent.id(), agent.key(), settingsId, unenrollId).status()).isEqualTo(200);
        AgentRecord after = fleet.server.store().findAgent(agent.id()).orElseThrow();
        assertThat(after.active()).isFalse();
        assertThat(fleet.server.store().findApiKey(after.accessApiKeyId()).orElseThrow().active()).isFalse();
        ApiClient.Reply refused = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        assertThat(refused.status()).isEqualTo(401);
    }

    /** Restarts the fleet in {@code dir} with a 50 s default poll: only a wake-up, not the timer, answers in time. */
    private void restartWithLongPolls(Path dir) {
        fleet.close();
        fleet = TestFleet.plain(dir, b -> b.checkin(new dev.flotilla.server.checkin.CheckinSettings(
                Duration.ofSeconds(50), Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofMillis(200))));
    }

    private record Waiting(TestFleet.Agent agent, CompletableFuture<ApiClient.Reply> reply) {
    }

    /** A fleet with long polls in {@code dir} and one agent that acked revision 1, its next check-in waiting. */
    private Waiting agentWaitingOnRevision1(Path dir) {
        restartWithLongPolls(dir);
        TestFleet.Agent agent = fleet.enroll();
        fleet.client.ack(agent.id(), agent.key(), "policy:test-policy:1");
        return new Waiting(agent, waitingCheckin(agent, null));
    }

    /** The agent's check-in, started; returns once the server counts it waiting. */
    private CompletableFuture<ApiClient.Reply> waitingCheckin(TestFleet.Agent agent, String ackToken) {
        CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(() -> fleet.client.checkin(
                agent.id(), agent.key(), ApiClient.checkinBody(ackToken)));
        awaitTrue(() -> fleet.server.waitingCheckins() == 1, "the check-in is waiting");
        return waiting;
    }

    @Test
    void aPolicyEditWakesAWaitingLongPoll(@TempDir Path other) throws Exception {
        restartWithLongPolls(other);
        TestFleet.Agent agent = fleet.enroll();
        ApiClient.Reply first = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        fleet.client.ack(agent.id(), agent.key(), "policy:test-policy:1");

        CompletableFuture<ApiClient.Reply> waiting = waitingCheckin(agent, first.json().path("ack_token").asText());
        assertThat(waiting).isNotDone();

        var doc = dev.flotilla.server.policy.Policies.starter(List.of("https://fleet.example:8220"), "https://es2:9200");
        fleet.server.policies().put(TestFleet.POLICY, doc);
        ApiClient.Reply woken = waiting.get(15, TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        JsonNode change = woken.json().path("actions").get(0);
        assertThat(change.path("id").asText()).isEqualTo("policy:test-policy:2");
        assertThat(change.path("data").path("policy").path("outputs").path("default").path("hosts").get(0).asText())
                .isEqualTo("https://es2:9200");
    }

    @Test
    void anAgentRevokedWhileItWaitsIsNotHandedTheNextPolicy(@TempDir Path other) throws Exception {
        Waiting w = agentWaitingOnRevision1(other);
        TestFleet.Agent agent = w.agent();
        CompletableFuture<ApiClient.Reply> waiting = w.reply();
        // revoked at once (no UNENROLL action, so nothing wakes the check-in), then the policy changes
        fleet.server.store().deactivateAgent(agent.id(), true, java.time.Instant.now());
        fleet.server.policies().put(TestFleet.POLICY,
                dev.flotilla.server.policy.Policies.starter(List.of("https://f:8220"), "https://es4:9200"));
        ApiClient.Reply woken = waiting.get(15, TimeUnit.SECONDS);
        assertThat(woken.status()).isEqualTo(200);
        assertThat(woken.json().path("actions")).as(woken.toString()).isEmpty();
        assertThat(woken.toString()).doesNotContain("es4");
    }

    @Test
    void aPolicyRevisionWrittenByAnotherProcessWakesTheLongPoll(@TempDir Path other) throws Exception {
        Waiting w = agentWaitingOnRevision1(other);
        TestFleet.Agent agent = w.agent();
        CompletableFuture<ApiClient.Reply> waiting = w.reply();
        // another writer on the same SQLite file (as a second server or a management process would be)
        try (var writer = dev.flotilla.server.store.sqlite.SqliteFleetStore.openInDirectory(other.resolve("data"))) {
            writer.putPolicy(TestFleet.POLICY, dev.flotilla.server.http.Json.text(
                    dev.flotilla.server.policy.Policies.starter(List.of("https://f:8220"), "https://es3:9200")));
        }
        JsonNode change = waiting.get(15, TimeUnit.SECONDS).json().path("actions").get(0);
        assertThat(change.path("id").asText()).isEqualTo("policy:test-policy:2");
    }

    @Test
    void aNewActionWakesAWaitingLongPollAndShutdownAnswersWaitingPolls(@TempDir Path other) throws Exception {
        restartWithLongPolls(other);
        TestFleet.Agent agent = fleet.enroll();
        fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        fleet.client.ack(agent.id(), agent.key(), "policy:test-policy:1");

        CompletableFuture<ApiClient.Reply> waiting = waitingCheckin(agent, null);
        fleet.server.actions().settings(List.of(agent.id()), "info");
        assertThat(waiting.get(15, TimeUnit.SECONDS).json().path("actions").get(0).path("type").asText())
                .isEqualTo("SETTINGS");

        CompletableFuture<ApiClient.Reply> second = CompletableFuture.supplyAsync(() -> fleet.client.checkin(
                agent.id(), agent.key(), ApiClient.checkinBody(null)));
        // the SETTINGS action is still un-acked, so it comes back at once; ack it, then wait again
        assertThat(second.get(15, TimeUnit.SECONDS).json().path("actions")).hasSize(1);
        fleet.client.ack(agent.id(), agent.key(), second.get().json().path("actions").get(0).path("id").asText());
        CompletableFuture<ApiClient.Reply> third = CompletableFuture.supplyAsync(() -> fleet.client.checkin(
                agent.id(), agent.key(), ApiClient.checkinBody(null)));
        awaitTrue(() -> fleet.server.waitingCheckins() == 1, "the check-in is waiting");
        long t0 = System.nanoTime();
        fleet.server.close();
        ApiClient.Reply last = third.get(15, TimeUnit.SECONDS);
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.json().path("actions")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aClientThatGoesAwayStopsItsLongPoll(@TempDir Path other) throws Exception {
        restartWithLongPolls(other);
        TestFleet.Agent agent = fleet.enroll();
        fleet.client.ack(agent.id(), agent.key(), "policy:test-policy:1");
        byte[] body = dev.flotilla.server.http.Json.bytes(ApiClient.checkinBody(null));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", fleet.server.port())) {
            s.getOutputStream().write(("POST /api/fleet/agents/" + agent.id() + "/checkin HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: ApiKey " + agent.key() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            awaitTrue(() -> fleet.server.waitingCheckins() == 1, "the check-in is waiting");
        }
        awaitTrue(() -> fleet.server.waitingCheckins() == 0, "the abandoned check-in stops waiting");
        awaitTrue(() -> fleet.server.lifecycle().inFlight() == 0, "no request in flight");
    }

    @Test
    void requestsWhileStoppingAre499() {
        TestFleet.Agent agent = fleet.enroll();
        fleet.server.lifecycle().set(dev.flotilla.server.http.Lifecycle.State.STOPPING);
        ApiClient.Reply r = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        assertThat(r.status()).isEqualTo(499);
        assertThat(r.json().path("error").asText()).isEqualTo("ErrServerStopping");
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(OpenApiSchemas.problems("error", r.json())).isEmpty();
        fleet.server.lifecycle().set(dev.flotilla.server.http.Lifecycle.State.HEALTHY);
        assertThat(fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null)).status()).isEqualTo(200);
    }

    @Test
    void checkinsAreWrittenInBatches() {
        TestFleet.Agent agent = fleet.enroll();
        fleet.server.actions().settings(List.of(agent.id()), "info");
        long before = fleet.server.checkinWrites();
        for (int i = 0; i < 5; i++) {
            assertThat(fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null)).status())
                    .isEqualTo(200);
        }
        awaitTrue(() -> fleet.server.store().findAgent(agent.id()).orElseThrow().lastCheckin() != null,
                "the check-in is written");
        AgentRecord a = fleet.server.store().findAgent(agent.id()).orElseThrow();
        assertThat(a.lastCheckinStatus()).isEqualTo("online");
        assertThat(a.lastCheckinMessage()).isEqualTo("Running");
        // 5 check-ins within a few 200 ms flush intervals: fewer writes than check-ins
        assertThat(fleet.server.checkinWrites() - before).isLessThan(5);
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
