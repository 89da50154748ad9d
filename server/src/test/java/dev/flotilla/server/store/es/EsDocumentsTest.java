package dev.flotilla.server.store.es;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.ActionResult;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.PolicyRevision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records to Fleet-shaped documents and back, without a cluster. */
class EsDocumentsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final EsDocuments docs = new EsDocuments(json);
    private final Instant at = Instant.parse("2026-11-23T12:00:00.123Z");

    @Test
    void agentRoundTripsWithFleetFieldNamesAndJsonObjects() {
        AgentRecord agent = AgentRecord.builder("a1", "p1").type("PERMANENT").enrolledAt(at).accessApiKeyId("k1")
                .replaceTokenHash("hash").enrollmentId("e1").localMetadata("{\"host\":{\"name\":\"h\"}}")
                .tags(List.of("x", "y")).policyRevision(4).actionSeqNo(9).lastCheckin(at).lastCheckinStatus("online")
                .lastCheckinMessage("ok").components("[{\"id\":\"c\"}]").unenrolledAt(at).auditUnenrollReason("r")
                .updatedAt(at).build();

        ObjectNode doc = docs.agent(agent);

        assertThat(doc.path("policy_revision_idx").asLong()).isEqualTo(4);
        assertThat(doc.path("local_metadata").path("host").path("name").asText()).isEqualTo("h");
        assertThat(doc.path("components").isArray()).isTrue();
        assertThat(doc.path("enrolled_at").asText()).isEqualTo("2026-11-23T12:00:00.123Z");
        assertThat(docs.agent("a1", doc)).isEqualTo(agent);
    }

    @Test
    void apiKeysKeepTheHashOnly() {
        ApiKeyRecord key = new ApiKeyRecord("k1", new byte[] {9, 8, 7}, ApiKeyRecord.AGENT, "a1", true, at, null);

        ObjectNode doc = docs.apiKey(key);
        ApiKeyRecord back = docs.apiKey("k1", doc);

        assertThat(doc.has("secret")).isFalse();
        assertThat(back.secretHash()).containsExactly(9, 8, 7);
        assertThat(back.invalidatedAt()).isNull();
        assertThat(back.active()).isTrue();
    }

    @Test
    void enrollmentKeysPoliciesActionsAndResultsRoundTrip() {
        EnrollmentKey ek = new EnrollmentKey("e1", "k1", "default", "p1", true, at, at.plusSeconds(60));
        assertThat(docs.enrollmentKey("e1", docs.enrollmentKey(ek))).isEqualTo(ek);

        ObjectNode policy = docs.policy("p1", 3, "{\"outputs\":{}}", at);
        assertThat(docs.policy(policy, 41)).isEqualTo(new PolicyRevision("p1", 3, "{\"outputs\":{}}", 42, at));

        ActionRecord action = new ActionRecord("act", 0, "SETTINGS", List.of("a1", "a2"), "{\"log_level\":\"debug\"}",
                at, null, at.plusSeconds(5));
        assertThat(docs.action(docs.action(action), 6)).isEqualTo(action.withSeq(7));

        ActionResult result = new ActionResult("act", "a1", at, "failed", "{\"k\":1}");
        assertThat(docs.result(docs.result(result))).isEqualTo(result);
    }

    @Test
    void textThatIsNotJsonIsKeptAsText() {
        AgentRecord agent = AgentRecord.builder("a1", "p1").localMetadata("not json").build();
        assertThat(docs.agent("a1", docs.agent(agent)).localMetadata()).isEqualTo("not json");
    }
}
