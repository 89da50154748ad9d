package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Refusals with the reference's status codes and error bodies, and nothing stored for refused requests. */
@Timeout(60)
class AgentApiErrorsTest {
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

    private static void assertError(ApiClient.Reply r, int status, String error) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.path("statusCode").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("message").asText()).isNotEmpty();
        assertThat(OpenApiSchemas.problems("error", body)).isEmpty();
    }

    @Test
    void revokedOrUnknownEnrollmentTokensAreRefused() {
        assertThat(fleet.server.enrollmentTokens().revoke(fleet.token.key().id())).isTrue();
        assertError(fleet.client.enroll(fleet.token.token()), 401, "Unauthorized");
        assertError(fleet.client.enroll(Base64.getEncoder().encodeToString("nope:nope".getBytes(
                StandardCharsets.UTF_8))), 401, "Unauthorized");
        assertError(fleet.client.enroll(null), 401, "ErrNoAuthHeader");
        assertError(fleet.client.enroll("%%%not-base64"), 401, "ErrNoAuthHeader");
        assertThat(fleet.server.store().listAgents()).isEmpty();
    }

    @Test
    void expiredEnrollmentTokensAreRefused() {
        var shortLived = fleet.server.enrollmentTokens().create("short", TestFleet.POLICY,
                java.time.Duration.ofMillis(300));
        AgentFlowTest.awaitTrue(() -> !fleet.server.store().findEnrollmentKey(shortLived.key().id()).orElseThrow()
                .usableAt(Instant.now()), "the token expired");
        assertError(fleet.client.enroll(shortLived.token()), 401, "Unauthorized");
        assertThat(fleet.server.store().listAgents()).isEmpty();
        var longLived = fleet.server.enrollmentTokens().create("long", TestFleet.POLICY, java.time.Duration.ofHours(1));
        assertThat(fleet.client.enroll(longLived.token()).status()).isEqualTo(200);
    }

    @Test
    void anAgentKeyIsNotAnEnrollmentToken() {
        TestFleet.Agent agent = fleet.enroll();
        assertError(fleet.client.enroll(agent.key()), 401, "Unauthorized");
        assertError(fleet.client.checkin(agent.id(), fleet.token.token(), ApiClient.checkinBody(null)), 401,
                "Unauthorized");
    }

    @Test
    void unknownAgentWrongKeyWrongSecretAndInactiveAgent() {
        TestFleet.Agent a = fleet.enroll();
        TestFleet.Agent b = fleet.enroll();
        assertError(fleet.client.checkin("no-such-agent", a.key(), ApiClient.checkinBody(null)), 404,
                "AgentNotFound");
        assertError(fleet.client.checkin(a.id(), b.key(), ApiClient.checkinBody(null)), 403, "ErrAgentIdentity");
        String keyId = new String(Base64.getDecoder().decode(a.key()), StandardCharsets.UTF_8).split(":")[0];
        String wrongSecret = Base64.getEncoder().encodeToString((keyId + ":wrong").getBytes(StandardCharsets.UTF_8));
        assertError(fleet.client.checkin(a.id(), wrongSecret, ApiClient.checkinBody(null)), 401, "Unauthorized");
        assertError(fleet.client.ack(a.id(), wrongSecret, "x"), 401, "Unauthorized");

        fleet.server.store().deactivateAgent(a.id(), false, Instant.now());
        assertError(fleet.client.checkin(a.id(), a.key(), ApiClient.checkinBody(null)), 401, "ErrAgentInactive");
        assertError(fleet.client.ack(a.id(), a.key(), "x"), 401, "ErrAgentInactive");
        // the other agent is unaffected
        assertThat(fleet.client.ack(b.id(), b.key(), "policy:test-policy:1").status()).isEqualTo(200);
    }

    @Test
    void malformedBodiesAreRefusedWithNothingStored() {
        assertError(fleet.client.send("POST", "/api/fleet/agents/enroll", fleet.token.token(),
                "{not json".getBytes(StandardCharsets.UTF_8)), 400, "BadRequest");
        assertError(fleet.client.send("POST", "/api/fleet/agents/enroll", fleet.token.token(),
                "[1,2]".getBytes(StandardCharsets.UTF_8)), 400, "BadRequest");
        assertError(fleet.client.post("/api/fleet/agents/enroll", fleet.token.token(),
                Json.object().put("type", "PERMANENT")), 400, "BadRequest");
        assertError(fleet.client.post("/api/fleet/agents/enroll", fleet.token.token(),
                ApiClient.enrollBody(java.util.List.of()).put("type", "SOMETIMES")), 400, "BadRequest");
        assertThat(fleet.server.store().listAgents()).isEmpty();

        TestFleet.Agent a = fleet.enroll();
        assertError(fleet.client.checkin(a.id(), a.key(), Json.object().put("status", "happy").put("message", "")),
                400, "BadRequest");
        assertError(fleet.client.checkin(a.id(), a.key(), ApiClient.checkinBody(null).put("poll_timeout", "soon")),
                400, "BadRequest");
        assertError(fleet.client.post("/api/fleet/agents/" + a.id() + "/acks", a.key(), Json.object()), 400,
                "BadRequest");
        assertThat(fleet.server.store().findAgent(a.id()).orElseThrow().policyRevision()).isEqualTo(-1);
    }

    @Test
    void unknownApiVersionIsA400AndTheVersionIsEchoed() {
        ApiClient.Reply ok = fleet.client.send("GET", "/api/status", null, null, "Elastic-Api-Version", "2023-06-01",
                "X-Request-Id", "trace-123");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Request-Id")).isEqualTo("trace-123");
        assertThat(fleet.client.send("GET", "/api/status", null, null).header("X-Request-Id")).isNotEmpty();
        assertThat(ok.header("Elastic-Api-Version")).isEqualTo("2023-06-01");
        assertThat(OpenApiSchemas.problems("statusResponse", ok.json())).isEmpty();
        assertThat(ok.json().has("version")).isFalse();
        ApiClient.Reply bad = fleet.client.send("POST", "/api/fleet/agents/enroll", fleet.token.token(),
                Json.bytes(ApiClient.enrollBody(java.util.List.of())), "Elastic-Api-Version", "1999-01-01");
        assertError(bad, 400, "ErrUnsupportedAPIVersion");
        assertThat(bad.header("Elastic-Api-Version")).isEqualTo("2023-06-01");
        assertThat(fleet.server.store().listAgents()).isEmpty();
    }

    @Test
    void statusShowsTheVersionOnlyToAuthenticatedCallers() {
        ApiClient.Reply authed = fleet.client.send("GET", "/api/status", fleet.token.token(), null);
        assertThat(authed.status()).isEqualTo(200);
        assertThat(authed.json().path("status").asText()).isEqualTo("HEALTHY");
        assertThat(authed.json().path("version").path("number").asText()).isNotEmpty();
        assertThat(OpenApiSchemas.problems("statusResponse", authed.json())).isEmpty();
        ApiClient.Reply wrong = fleet.client.send("GET", "/api/status", "d3Jvbmc6d3Jvbmc=", null);
        assertThat(wrong.status()).isEqualTo(200);
        assertThat(wrong.json().has("version")).isFalse();
    }

    @Test
    void anUnusableStoreIs503(@TempDir Path other) {
        fleet.close();
        var store = dev.flotilla.server.store.sqlite.SqliteFleetStore.openInDirectory(other.resolve("store"));
        fleet = TestFleet.plain(other, b -> b.store(store));
        TestFleet.Agent a = fleet.enroll();
        store.close();
        ApiClient.Reply r = fleet.client.checkin(a.id(), a.key(), ApiClient.checkinBody(null));
        assertError(r, 503, "ServiceUnavailable");
        assertThat(r.json().path("message").asText()).doesNotContain("SQL");
        ApiClient.Reply status = fleet.client.send("GET", "/api/status", null, null);
        assertThat(status.status()).isEqualTo(503);
        assertThat(status.json().path("status").asText()).isEqualTo("DEGRADED");
        assertThat(OpenApiSchemas.problems("statusResponse", status.json())).isEmpty();
    }

    @Test
    void unknownPathsAndMethods() {
        assertError(fleet.client.send("GET", "/api/nothing", null, null), 404, "NotFound");
        assertError(fleet.client.send("GET", "/api/fleet/agents/enroll", null, null), 405, "MethodNotAllowed");
    }

    @Test
    void reEnrollingAnIdNeedsItsReplaceToken() {
        var body = ApiClient.enrollBody(java.util.List.of()).put("id", "fixed-id").put("replace_token", "s3cret");
        assertThat(fleet.client.enroll(fleet.token.token(), body).status()).isEqualTo(200);
        String firstKey = fleet.server.store().findAgent("fixed-id").orElseThrow().accessApiKeyId();
        assertError(fleet.client.enroll(fleet.token.token(), body.deepCopy().put("replace_token", "guess")), 403,
                "ErrAgentNotReplaceable");
        assertError(fleet.client.enroll(fleet.token.token(), body.deepCopy().without("replace_token")), 403,
                "ErrAgentNotReplaceable");
        assertThat(fleet.server.store().findAgent("fixed-id").orElseThrow().accessApiKeyId()).isEqualTo(firstKey);
        ApiClient.Reply replaced = fleet.client.enroll(fleet.token.token(), body);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(fleet.server.store().findApiKey(firstKey).orElseThrow().active()).isFalse();
        assertThat(fleet.server.store().findAgent("fixed-id").orElseThrow().replaceTokenHash()).doesNotContain("s3cret");
    }

    @Test
    void auditUnenrollIsRecordedOnce() {
        TestFleet.Agent a = fleet.enroll();
        var body = Json.object().put("reason", "uninstall").put("timestamp", "2026-01-01T12:00:00Z");
        String path = "/api/fleet/agents/" + a.id() + "/audit/unenroll";
        assertThat(fleet.client.post(path, a.key(), body).status()).isEqualTo(200);
        assertError(fleet.client.post(path, a.key(), body), 409, "ErrAuditReasonConflict");
        assertError(fleet.client.post(path, a.key(), Json.object().put("reason", "bored")), 400, "BadRequest");
        assertThat(fleet.server.store().findAgent(a.id()).orElseThrow().auditUnenrollReason()).isEqualTo("uninstall");
    }
}
