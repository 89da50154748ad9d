package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** POLICY_CHANGE content (outputs' TLS settings, fleet hosts) and POLICY_REASSIGN. */
@Timeout(60)
class PolicyActionsTest {
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
    void outputsKeepTheirTlsSettingsAndFleetHostsComeFromTheSettingWhenMissing() {
        ObjectNode doc = Json.object();
        ObjectNode output = doc.putObject("outputs").putObject("default");
        output.put("type", "elasticsearch").putArray("hosts").add("https://es.example:9200");
        output.put("ssl.ca_trusted_fingerprint", "ab".repeat(32));
        ObjectNode second = doc.withObject("outputs").putObject("mtls");
        second.put("type", "elasticsearch").putArray("hosts").add("https://es2:9200");
        ObjectNode ssl = second.putObject("ssl");
        ssl.putArray("certificate_authorities").add("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        ssl.put("verification_mode", "full");
        doc.putArray("inputs").addObject().put("id", "logs").put("type", "logfile").put("use_output", "default");
        fleet.server.store().putSetting(PolicyChangeBuilder.FLEET_HOSTS_SETTING, "[\"https://fleet.example:8220\"]");
        fleet.server.policies().put("tls-policy", doc);

        String token = fleet.server.enrollmentTokens().create("tls", "tls-policy").token();
        ApiClient.Reply enrolled = fleet.client.enroll(token);
        String id = enrolled.json().path("item").path("id").asText();
        String key = enrolled.json().path("item").path("access_api_key").asText();
        ApiClient.Reply r = fleet.client.checkin(id, key, ApiClient.checkinBody(null));
        assertThat(OpenApiSchemas.problems("checkinResponse", r.json())).isEmpty();
        JsonNode policy = r.json().path("actions").get(0).path("data").path("policy");
        assertThat(policy.path("id").asText()).isEqualTo("tls-policy");
        assertThat(policy.path("outputs").path("default").path("ssl.ca_trusted_fingerprint").asText())
                .isEqualTo("ab".repeat(32));
        assertThat(policy.path("outputs").path("mtls").path("ssl").path("certificate_authorities").get(0).asText())
                .startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(policy.path("fleet").path("hosts").get(0).asText()).isEqualTo("https://fleet.example:8220");
        assertThat(policy.path("inputs").get(0).path("id").asText()).isEqualTo("logs");
        assertThat(policy.has("output_permissions")).isTrue();
        assertThat(fleet.server.store().findAction(r.json().path("actions").get(0).path("id").asText())).isEmpty();
    }

    @Test
    void reassignSendsPolicyReassignThenTheNewPolicy() {
        TestFleet.Agent agent = fleet.enroll();
        ApiClient.Reply first = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        fleet.client.ack(agent.id(), agent.key(), first.json().path("actions").get(0).path("id").asText());
        fleet.server.policies().put("other", dev.flotilla.server.policy.Policies.starter(List.of("https://f:8220"),
                "https://es-other:9200"));

        String reassignId = fleet.server.actions().reassign(agent.id(), "other").id();
        ApiClient.Reply r = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
        JsonNode actions = r.json().path("actions");
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0).path("type").asText()).isEqualTo("POLICY_REASSIGN");
        assertThat(actions.get(0).path("id").asText()).isEqualTo(reassignId);
        assertThat(actions.get(0).path("data").path("policy_id").asText()).isEqualTo("other");
        assertThat(actions.get(1).path("id").asText()).isEqualTo("policy:other:1");
        assertThat(OpenApiSchemas.problems("checkinResponse", r.json())).isEmpty();

        // an ack of the old policy's revision does not move the new policy's revision
        fleet.client.ack(agent.id(), agent.key(), "policy:test-policy:9");
        assertThat(fleet.server.store().findAgent(agent.id()).orElseThrow().policyRevision()).isEqualTo(-1);
        fleet.client.ack(agent.id(), agent.key(), reassignId, "policy:other:1");
        var stored = fleet.server.store().findAgent(agent.id()).orElseThrow();
        assertThat(stored.policyId()).isEqualTo("other");
        assertThat(stored.policyRevision()).isEqualTo(1);
        assertThat(fleet.server.store().actionResults(reassignId)).hasSize(1);
    }

    @Test
    void anAgentReportingTheCurrentRevisionGetsNoPolicyChange() {
        TestFleet.Agent agent = fleet.enroll();
        ObjectNode body = ApiClient.checkinBody(null).put("agent_policy_id", TestFleet.POLICY)
                .put("policy_revision_idx", 1);
        fleet.server.actions().settings(List.of(agent.id()), "warning");
        ApiClient.Reply r = fleet.client.checkin(agent.id(), agent.key(), body);
        assertThat(r.json().path("actions")).hasSize(1);
        assertThat(r.json().path("actions").get(0).path("type").asText()).isEqualTo("SETTINGS");
    }
}
