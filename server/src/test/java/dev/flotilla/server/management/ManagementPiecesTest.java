package dev.flotilla.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.AgentRecord;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts: Advanced YAML merging, output composition, agent status, the agent query, sealed secrets. */
class ManagementPiecesTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration OFFLINE = Duration.ofMinutes(7);

    @Test
    void advancedYamlDottedKeysExpandAndWinOverFieldsKeyByKey() throws Exception {
        ObjectNode yaml = AdvancedYaml.parse("ssl.certificate_authorities: [/a.crt]\nssl:\n  verification_mode:"
                + " certificate\nbulk_max_size: 50\n", "config_yaml");
        assertEquals(Json.MAPPER.readTree("{\"ssl\":{\"certificate_authorities\":[\"/a.crt\"],"
                + "\"verification_mode\":\"certificate\"},\"bulk_max_size\":50}"), yaml);
        ObjectNode base = (ObjectNode) Json.MAPPER.readTree("{\"ssl\":{\"verification_mode\":\"full\","
                + "\"ca_trusted_fingerprint\":\"ab\"},\"hosts\":[\"https://x:9200\"]}");
        JsonNode merged = AdvancedYaml.merge(base, yaml);
        assertEquals("certificate", merged.path("ssl").path("verification_mode").asText(), "the YAML wins");
        assertEquals("ab", merged.path("ssl").path("ca_trusted_fingerprint").asText(), "other ssl keys stay");
        assertEquals(50, merged.path("bulk_max_size").asInt());
        assertEquals(0, AdvancedYaml.parse("  \n", "config_yaml").size());
        ManagementError e = assertThrows(ManagementError.class, () -> AdvancedYaml.parse("a: [1", "config_yaml"));
        assertEquals("config_yaml", e.field());
    }

    @Test
    void outputForPolicyMovesTheFingerprintUnderSslAndKeepsSecretsSealed() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        SecretBox box = SecretBox.of(key);
        ObjectNode body = Json.object().put("name", "default").put("ca_trusted_fingerprint", "AB".repeat(32))
                .put("api_key", "id:secret").put("config_yaml", "ssl.verification_mode: certificate");
        body.putArray("hosts").add("https://192.0.2.0:9200");
        ObjectNode stored = OutputRules.apply(null, body, box);
        assertTrue(!stored.toString().contains("id:secret"));
        ObjectNode sent = OutputRules.forPolicy(stored);
        assertEquals("ab".repeat(32), sent.path("ssl").path("ca_trusted_fingerprint").asText());
        assertEquals("certificate", sent.path("ssl").path("verification_mode").asText());
        assertTrue(!sent.toString().contains("id:secret"), "the policy revision keeps the credential sealed");
        String sealed = sent.path("api_key").path("sealed").asText();
        assertEquals("id:secret", box.open(sealed));
        assertEquals(OutputRules.MASK, OutputRules.view(stored).path("api_key").asText());
        SecretBox other = SecretBox.of(new byte[32]);
        assertThrows(IllegalStateException.class, () -> other.open(sealed), "another key cannot open the secret");
        assertNotEquals(box.seal("x"), box.seal("x"), "a fresh nonce each time");
    }

    @Test
    void agentStatusFromCheckins() {
        AgentRecord base = AgentRecord.builder("a", "p").enrolledAt(NOW.minusSeconds(3600)).build();
        assertEquals(AgentStatus.OFFLINE, AgentStatus.of(base, 2, NOW, OFFLINE), "enrolled long ago, never seen");
        AgentRecord seen = base.toBuilder().lastCheckin(NOW.minusSeconds(30)).lastCheckinStatus("online")
                .policyRevision(2).build();
        assertEquals(AgentStatus.ONLINE, AgentStatus.of(seen, 2, NOW, OFFLINE));
        assertEquals(AgentStatus.UPDATING, AgentStatus.of(seen, 3, NOW, OFFLINE), "a newer revision not acked");
        assertEquals(AgentStatus.UNHEALTHY, AgentStatus.of(seen.toBuilder().lastCheckinStatus("DEGRADED").build(),
                2, NOW, OFFLINE));
        assertEquals(AgentStatus.OFFLINE, AgentStatus.of(seen.toBuilder().lastCheckin(NOW.minus(OFFLINE)
                .minusSeconds(1)).build(), 2, NOW, OFFLINE));
        assertEquals(AgentStatus.UNENROLLED, AgentStatus.of(seen.toBuilder().active(false).build(), 2, NOW,
                OFFLINE));
    }

    @Test
    void agentQueryReadsParametersAndSimpleKuery() {
        AgentQuery q = AgentQuery.of(Map.of("kuery", List.of("fleet-agents.policy_id:\"web\" and status:online"
                + " AND tags:eu")));
        assertEquals("web", q.policyId());
        assertEquals(List.of("online"), q.statuses());
        assertEquals(List.of("eu"), q.tags());
        AgentQuery p = AgentQuery.of(Map.of("policy_id", List.of("db"), "status", List.of("offline,updating")));
        assertEquals(List.of("offline", "updating"), p.statuses());
        assertEquals("kuery", assertThrows(ManagementError.class, () -> AgentQuery.of(Map.of("kuery",
                List.of("hostname:x")))).field());
    }
}
