package dev.flotilla.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.EnrollmentKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoliciesAndTokensApiTest {
    @TempDir
    Path dir;

    @Test
    void agentPoliciesCreateReadUpdateDeleteAndEachSaveIsARevision() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            ObjectNode body = Json.object().put("id", "web").put("name", "Web servers").put("namespace", "prod");
            body.putArray("inputs").addObject().put("id", "logs-1").put("type", "logfile");
            HttpCalls.Reply created = fleet.api.post("/api/fleet/agent_policies", body);
            assertEquals(200, created.status(), created.toString());
            assertEquals(1, created.json().path("item").path("revision").asLong());
            assertEquals(1, fleet.server.store().latestPolicy("web").orElseThrow().revision());

            JsonNode got = fleet.api.get("/api/fleet/agent_policies/web").json().path("item");
            assertEquals("Web servers", got.path("name").asText());
            assertEquals(0, got.path("agents").asInt());
            JsonNode full = fleet.api.get("/api/fleet/agent_policies/web/full").json().path("item");
            assertEquals("default", full.path("inputs").get(0).path("use_output").asText());
            assertEquals("prod", full.path("inputs").get(0).path("data_stream").path("namespace").asText());
            assertTrue(full.path("outputs").has("default"));

            HttpCalls.Reply updated = fleet.api.put("/api/fleet/agent_policies/web",
                    Json.object().put("description", "nginx hosts").set("monitoring_enabled", Json.array()));
            assertEquals(200, updated.status(), updated.toString());
            assertEquals(2, updated.json().path("item").path("revision").asLong());
            assertFalse(fleet.api.get("/api/fleet/agent_policies/web/full").json().path("item").path("agent")
                    .path("monitoring").path("enabled").asBoolean());
            HttpCalls.Reply same = fleet.api.put("/api/fleet/agent_policies/web",
                    Json.object().put("description", "nginx hosts"));
            assertEquals(2, same.json().path("item").path("revision").asLong(), "no change, no new revision");

            assertEquals(400, fleet.api.put("/api/fleet/agent_policies/web", Json.object().put("namespace", "Pro-d"))
                    .status());
            assertEquals(400, fleet.api.put("/api/fleet/agent_policies/web", Json.object()
                    .put("data_output_id", "nope")).status());
            assertEquals(409, fleet.api.post("/api/fleet/agent_policies", Json.object().put("name", "Web servers"))
                    .status(), "names are unique");
            assertEquals(1, fleet.api.get("/api/fleet/agent_policies").json().path("total").asInt());

            String token = fleet.token("web");
            ManagedFleet.Agent agent = fleet.enrolled(token, List.of());
            assertEquals(409, fleet.api.delete("/api/fleet/agent_policies/web").status(), "it has an agent");
            assertEquals(200, fleet.api.post("/api/fleet/agents/" + agent.id() + "/unenroll",
                    Json.object().put("revoke", true)).status());
            assertEquals(200, fleet.api.post("/api/fleet/agent_policies/delete",
                    Json.object().put("agentPolicyId", "web")).status());
            assertEquals(404, fleet.api.get("/api/fleet/agent_policies/web").status());
            assertEquals(0, fleet.api.get("/api/fleet/agent_policies").json().path("total").asInt());
            assertEquals(401, fleet.enroll(token, List.of()).status(), "its tokens are revoked with it");
        }
    }

    @Test
    void policiesWrittenByOthersAreListedAndFollowTheSettings() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            fleet.server.policies().put("bootstrap", dev.flotilla.server.policy.Policies.starter(
                    List.of("https://10.0.0.1:8220"), "https://10.0.0.2:9200"));
            JsonNode list = fleet.api.get("/api/fleet/agent_policies").json();
            assertEquals("bootstrap", list.path("items").get(0).path("id").asText());
            JsonNode output = fleet.api.get("/api/fleet/outputs").json().path("items").get(0);
            assertEquals("https://10.0.0.2:9200", output.path("hosts").get(0).asText(),
                    "the default output is seeded from the existing policy");
            JsonNode host = fleet.api.get("/api/fleet/fleet_server_hosts").json().path("items").get(0);
            assertEquals("https://10.0.0.1:8220", host.path("host_urls").get(0).asText());
            assertEquals(200, fleet.api.put("/api/fleet/outputs/fleet-default-output", Json.object()
                    .set("hosts", Json.array().add("https://10.0.0.3:9200"))).status());
            JsonNode stored = Json.parseStored(fleet.server.store().latestPolicy("bootstrap").orElseThrow().data());
            assertEquals("https://10.0.0.3:9200", stored.path("outputs").path("default").path("hosts").get(0).asText());
            assertEquals("https://10.0.0.1:8220", stored.path("fleet").path("hosts").get(0).asText());
        }
    }

    @Test
    void enrollmentTokensAreShownOnceStoredHashedAndRevocable() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            fleet.policy("p", "p");
            HttpCalls.Reply created = fleet.api.post("/api/fleet/enrollment_api_keys",
                    Json.object().put("policy_id", "p").put("name", "laptops"));
            assertEquals(200, created.status(), created.toString());
            JsonNode item = created.json().path("item");
            String token = item.path("api_key").asText();
            String id = item.path("id").asText();
            assertFalse(token.isEmpty());
            assertTrue(item.path("active").asBoolean());

            HttpCalls.Reply list = fleet.api.get("/api/fleet/enrollment_api_keys");
            assertEquals(1, list.json().path("total").asInt());
            assertFalse(list.body().contains(token), "the token is shown only when created");
            assertFalse(fleet.api.get("/api/fleet/enrollment_api_keys/" + id).body().contains(token));
            EnrollmentKey stored = fleet.server.store().findEnrollmentKey(id).orElseThrow();
            byte[] hash = fleet.server.store().findApiKey(stored.apiKeyId()).orElseThrow().secretHash();
            assertEquals(32, hash.length, "only a SHA-256 is stored");

            assertEquals(200, fleet.enroll(token, List.of()).status());
            assertEquals(200, fleet.api.delete("/api/fleet/enrollment_api_keys/" + id).status());
            HttpCalls.Reply refused = fleet.enroll(token, List.of());
            assertEquals(401, refused.status(), "a revoked token cannot enroll: " + refused);
            JsonNode after = fleet.api.get("/api/fleet/enrollment_api_keys/" + id).json().path("item");
            assertFalse(after.path("active").asBoolean());
            assertTrue(after.path("revoked").asBoolean());
            assertEquals(404, fleet.api.delete("/api/fleet/enrollment_api_keys/nope").status());
            assertEquals(400, fleet.api.post("/api/fleet/enrollment_api_keys", Json.object().put("policy_id", "nope"))
                    .status());
            HttpCalls.Reply badExpiry = fleet.api.post("/api/fleet/enrollment_api_keys", Json.object()
                    .put("policy_id", "p").put("expiration", "yesterday"));
            assertEquals("expiration", badExpiry.json().path("attributes").path("field").asText());
        }
    }

    @Test
    void anExpiredTokenCannotEnroll() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            fleet.policy("p", "p");
            HttpCalls.Reply created = fleet.api.post("/api/fleet/enrollment_api_keys",
                    Json.object().put("policy_id", "p").put("expiration", "2s"));
            String token = created.json().path("item").path("api_key").asText();
            assertTrue(created.json().path("item").has("expire_at"));
            assertEquals(200, fleet.enroll(token, List.of()).status(), "usable before it expires");
            ManagedFleet.await("the token to expire", Duration.ofSeconds(10),
                    () -> fleet.enroll(token, List.of()).status() == 401);
            assertFalse(fleet.api.get("/api/fleet/enrollment_api_keys").json().path("items").get(0).path("active")
                    .asBoolean());
        }
    }
}
