package dev.flotilla.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.http.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentsApiTest {
    @TempDir
    Path dir;

    @Test
    void listFiltersByPolicyStatusAndTagWithPaging() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            String a = fleet.token(fleet.policy("a", "a"));
            String b = fleet.token(fleet.policy("b", "b"));
            ManagedFleet.Agent online = fleet.enrolled(a, List.of("web"));
            ManagedFleet.Agent sick = fleet.enrolled(a, List.of("db"));
            ManagedFleet.Agent fresh = fleet.enrolled(b, List.of("web", "eu"));
            fleet.takePolicy(online);
            fleet.takePolicy(sick);
            fleet.checkin(sick, "error");
            fleet.server.flushCheckins();

            assertEquals(Set.of(online.id(), sick.id()), ids(fleet, "?policy_id=a"));
            assertEquals(Set.of(online.id()), ids(fleet, "?status=online"));
            assertEquals(Set.of(sick.id()), ids(fleet, "?status=unhealthy"));
            assertEquals(Set.of(fresh.id()), ids(fleet, "?status=updating"), "never acked its policy");
            assertEquals(Set.of(online.id(), fresh.id()), ids(fleet, "?tags=web"));
            assertEquals(Set.of(fresh.id()), ids(fleet, "?tags=eu&policy_id=b"));
            assertEquals(400, fleet.api.get("/api/fleet/agents?status=sleeping").status());

            Set<String> paged = new HashSet<>();
            for (int page = 1; page <= 3; page++) {
                JsonNode r = fleet.api.get("/api/fleet/agents?perPage=1&page=" + page).json();
                assertEquals(3, r.path("total").asInt());
                assertEquals(1, r.path("items").size());
                paged.add(r.path("items").get(0).path("id").asText());
            }
            assertEquals(3, paged.size());
            assertEquals(0, fleet.api.get("/api/fleet/agents?perPage=1&page=4").json().path("items").size());
            JsonNode summary = fleet.api.get("/api/fleet/agents").json().path("statusSummary");
            assertEquals(1, summary.path("online").asInt());
            assertEquals(1, summary.path("unhealthy").asInt());
            assertEquals(1, summary.path("updating").asInt());

            JsonNode one = fleet.api.get("/api/fleet/agents/" + online.id()).json().path("item");
            assertEquals("online", one.path("status").asText());
            assertEquals(1, one.path("policy_revision").asLong());
            assertEquals(404, fleet.api.get("/api/fleet/agents/nope").status());
        }
    }

    @Test
    void agentsWithoutRecentCheckinsAreOffline() {
        try (ManagedFleet fleet = ManagedFleet.start(dir, Duration.ofSeconds(3))) {
            ManagedFleet.Agent agent = fleet.enrolled(fleet.token(fleet.policy("p", "p")), List.of());
            fleet.takePolicy(agent);
            assertEquals(Set.of(agent.id()), ids(fleet, "?status=online"));
            ManagedFleet.await("the agent to go offline", Duration.ofSeconds(10),
                    () -> ids(fleet, "?status=offline").contains(agent.id()));
            assertEquals(Set.of(), ids(fleet, "?status=online"));
            // a long poll starts: the check-in is recorded when it begins, so the agent is online again
            var waiting = fleet.agents.withKey(agent.key()).sendAsync("POST", "/api/fleet/agents/" + agent.id()
                    + "/checkin", Json.object().put("status", "online").put("message", "Running").put("poll_timeout", "10m"));
            ManagedFleet.await("the check-in to wait", Duration.ofSeconds(10), () -> {
                if (waiting.isDone()) {
                    throw new AssertionError("the check-in did not wait: " + waiting.join());
                }
                return fleet.server.waitingCheckins() == 1;
            });
            fleet.server.flushCheckins();
            assertEquals(Set.of(agent.id()), ids(fleet, "?status=online"));
            waiting.cancel(true);
        }
    }

    @Test
    void unenrollReassignAndSettingsReachTheAgent() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            String token = fleet.token(fleet.policy("p", "p"));
            fleet.policy("q", "q");
            ManagedFleet.Agent agent = fleet.enrolled(token, List.of());
            fleet.takePolicy(agent);

            HttpCalls.Reply settings = fleet.api.post("/api/fleet/agents/" + agent.id() + "/actions",
                    Json.object().set("action", Json.object().put("type", "SETTINGS")
                            .set("data", Json.object().put("log_level", "debug"))));
            assertEquals(200, settings.status(), settings.toString());
            assertEquals(400, fleet.api.post("/api/fleet/agents/" + agent.id() + "/actions",
                    Json.object().set("action", Json.object().put("type", "SETTINGS")
                            .set("data", Json.object().put("log_level", "loud")))).status());
            HttpCalls.Reply reassign = fleet.api.post("/api/fleet/agents/" + agent.id() + "/reassign",
                    Json.object().put("policy_id", "q"));
            assertEquals(200, reassign.status(), reassign.toString());
            assertEquals(400, fleet.api.post("/api/fleet/agents/" + agent.id() + "/reassign",
                    Json.object().put("policy_id", "nope")).status());

            HttpCalls.Reply checkin = fleet.checkin(agent, "online");
            List<String> types = new java.util.ArrayList<>();
            checkin.json().path("actions").forEach(x -> types.add(x.path("type").asText()));
            assertTrue(types.containsAll(List.of("SETTINGS", "POLICY_REASSIGN", "POLICY_CHANGE")), types.toString());
            assertEquals("q", ManagedFleet.policyOf(checkin).path("id").asText());
            assertEquals("q", fleet.api.get("/api/fleet/agents/" + agent.id()).json().path("item")
                    .path("policy_id").asText());

            HttpCalls.Reply unenroll = fleet.api.post("/api/fleet/agents/" + agent.id() + "/unenroll", null);
            assertEquals(200, unenroll.status(), unenroll.toString());
            HttpCalls.Reply next = fleet.checkin(agent, "online");
            assertTrue(next.body().contains("UNENROLL"), next.toString());

            assertEquals(200, fleet.api.post("/api/fleet/agents/" + agent.id() + "/unenroll",
                    Json.object().put("revoke", true)).status());
            assertEquals("unenrolled", fleet.api.get("/api/fleet/agents/" + agent.id()).json().path("item")
                    .path("status").asText());
            assertEquals(Set.of(), ids(fleet, ""), "unenrolled agents are hidden by default");
            assertEquals(Set.of(agent.id()), ids(fleet, "?showInactive=true"));
            assertEquals(Set.of(agent.id()), ids(fleet, "?status=unenrolled"));
            assertEquals(401, fleet.checkin(agent, "online").status(), "its key no longer works");
        }
    }

    private static Set<String> ids(ManagedFleet fleet, String query) {
        HttpCalls.Reply r = fleet.api.get("/api/fleet/agents" + query);
        if (r.status() != 200) {
            throw new AssertionError(r.toString());
        }
        Set<String> out = new HashSet<>();
        r.json().path("items").forEach(i -> out.add(i.path("id").asText()));
        return out;
    }
}
