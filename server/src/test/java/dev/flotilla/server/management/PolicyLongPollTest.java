package dev.flotilla.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.http.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A change in the management API reaches an agent waiting in its long poll at once (polls last 60 s here). */
class PolicyLongPollTest {
    @TempDir
    Path dir;

    @Test
    void outputAndHostChangesWakeTheWaitingAgent() throws Exception {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            ManagedFleet.Agent agent = fleet.enrolled(fleet.token(fleet.policy("p", "p")), List.of());
            JsonNode first = fleet.takePolicy(agent);
            assertEquals(1, first.path("revision").asLong());

            CompletableFuture<HttpCalls.Reply> waiting = longPoll(fleet, agent);
            HttpCalls.Reply r = fleet.api.put("/api/fleet/outputs/fleet-default-output", Json.object()
                    .set("hosts", Json.array().add("https://192.0.2.0:9200")));
            assertEquals(200, r.status(), r.toString());
            HttpCalls.Reply woke = waiting.get(15, TimeUnit.SECONDS);
            JsonNode policy = ManagedFleet.policyOf(woke);
            assertEquals(2, policy.path("revision").asLong());
            assertEquals("https://192.0.2.0:9200", policy.path("outputs").path("default").path("hosts").get(0).asText());
            fleet.ack(agent, "policy:p:2");

            waiting = longPoll(fleet, agent);
            fleet.api.post("/api/fleet/fleet_server_hosts", Json.object().put("name", "default")
                    .set("host_urls", Json.array().add("https://192.0.2.1:8220")));
            policy = ManagedFleet.policyOf(waiting.get(15, TimeUnit.SECONDS));
            assertEquals(3, policy.path("revision").asLong());
            assertEquals("https://192.0.2.1:8220", policy.path("fleet").path("hosts").get(0).asText());
            fleet.ack(agent, "policy:p:3");

            // a change to an output the policy does not use leaves it alone: the agent keeps waiting
            waiting = longPoll(fleet, agent);
            fleet.api.post("/api/fleet/outputs", SettingsApiTest.output("https://192.0.2.7:9200").put("id", "unused"));
            fleet.api.put("/api/fleet/agent_policies/p", Json.object().put("description", "now with a change"));
            policy = ManagedFleet.policyOf(waiting.get(15, TimeUnit.SECONDS));
            assertEquals(4, policy.path("revision").asLong(), "only the policy edit made a revision");
            assertFalse(policy.path("outputs").has("unused"));
        }
    }

    private static CompletableFuture<HttpCalls.Reply> longPoll(ManagedFleet fleet, ManagedFleet.Agent agent) {
        int before = fleet.server.waitingCheckins();
        CompletableFuture<HttpCalls.Reply> f = fleet.agents.withKey(agent.key()).sendAsync("POST",
                "/api/fleet/agents/" + agent.id() + "/checkin", Json.object().put("status", "online")
                        .put("message", "Running").put("poll_timeout", "10m"));
        ManagedFleet.await("the check-in to wait", Duration.ofSeconds(10),
                () -> fleet.server.waitingCheckins() > before);
        assertTrue(!f.isDone(), "the check-in is waiting");
        return f;
    }
}
