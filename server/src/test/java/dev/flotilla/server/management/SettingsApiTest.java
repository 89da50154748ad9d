package dev.flotilla.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsApiTest {
    private static final String HEX = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    Path dir;

    @Test
    void fleetServerHostsCreateReadUpdateDelete() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            HttpCalls.Reply created = fleet.api.post("/api/fleet/fleet_server_hosts", Json.object()
                    .put("name", "main").set("host_urls", Json.array().add("https://192.0.2.1:8220")));
            assertEquals(200, created.status(), created.toString());
            String id = created.json().path("item").path("id").asText();
            assertTrue(created.json().path("item").path("is_default").asBoolean(), "the first host is the default");

            JsonNode got = fleet.api.get("/api/fleet/fleet_server_hosts/" + id).json().path("item");
            assertEquals("https://192.0.2.1:8220", got.path("host_urls").get(0).asText());

            HttpCalls.Reply second = fleet.api.post("/api/fleet/fleet_server_hosts", Json.object().put("id", "backup")
                    .put("name", "backup").set("host_urls", Json.array().add("https://192.0.2.9:8220")));
            assertEquals(200, second.status());
            assertFalse(second.json().path("item").path("is_default").asBoolean());
            assertEquals(2, fleet.api.get("/api/fleet/fleet_server_hosts").json().path("total").asInt());
            assertEquals(409, fleet.api.post("/api/fleet/fleet_server_hosts", Json.object().put("id", "backup")
                    .put("name", "again").set("host_urls", Json.array().add("https://x:1"))).status());

            HttpCalls.Reply updated = fleet.api.put("/api/fleet/fleet_server_hosts/backup", Json.object()
                    .put("is_default", true).set("host_urls", Json.array().add("https://fleet.example:8220")));
            assertEquals(200, updated.status(), updated.toString());
            assertFalse(fleet.api.get("/api/fleet/fleet_server_hosts/" + id).json().path("item").path("is_default")
                    .asBoolean(), "only one default");

            HttpCalls.Reply refused = fleet.api.delete("/api/fleet/fleet_server_hosts/backup");
            assertEquals(409, refused.status(), "the default goes only when another host is the default");
            assertEquals(200, fleet.api.delete("/api/fleet/fleet_server_hosts/" + id).status());
            assertEquals(404, fleet.api.get("/api/fleet/fleet_server_hosts/" + id).status());
            assertEquals(404, fleet.api.delete("/api/fleet/fleet_server_hosts/" + id).status());
            assertEquals(1, fleet.api.get("/api/fleet/fleet_server_hosts").json().path("total").asInt());
        }
    }

    @Test
    void outputsCreateReadUpdateDeleteWithSecretsSealedAndMasked() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            JsonNode list = fleet.api.get("/api/fleet/outputs").json();
            assertEquals(1, list.path("total").asInt(), "a default output exists from the start");
            assertTrue(list.path("items").get(0).path("is_default").asBoolean());

            String secret = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
            ObjectNode body = Json.object().put("id", "es-2").put("name", "second").put("type", "elasticsearch")
                    .put("api_key", secret).put("ca_trusted_fingerprint", colons(HEX));
            body.putArray("hosts").add("https://192.0.2.5:9200");
            HttpCalls.Reply created = fleet.api.post("/api/fleet/outputs", body);
            assertEquals(200, created.status(), created.toString());
            JsonNode item = created.json().path("item");
            assertEquals(OutputRules.MASK, item.path("api_key").asText());
            assertEquals(HEX, item.path("ca_trusted_fingerprint").asText(), "colons removed, lower case");
            assertFalse(created.body().contains(secret));
            assertFalse(fleet.api.get("/api/fleet/outputs/es-2").body().contains(secret));
            assertFalse(fleet.api.get("/api/fleet/outputs").body().contains(secret));
            String stored = fleet.server.store().setting(ManagementState.OUTPUTS).orElseThrow();
            assertFalse(stored.contains(secret), "stored encrypted");
            assertFalse(stored.contains("ui2lp2axTNmsyakw9tvNnw"));

            // sending the mask back keeps the secret; other fields change
            HttpCalls.Reply updated = fleet.api.put("/api/fleet/outputs/es-2", Json.object()
                    .put("api_key", OutputRules.MASK).put("name", "renamed"));
            assertEquals(200, updated.status(), updated.toString());
            assertEquals("renamed", updated.json().path("item").path("name").asText());
            fleet.policy("uses-es-2", "uses es-2");
            assertEquals(200, fleet.api.put("/api/fleet/agent_policies/uses-es-2",
                    Json.object().put("data_output_id", "es-2")).status());
            HttpCalls.Reply fullReply = fleet.api.get("/api/fleet/agent_policies/uses-es-2/full");
            JsonNode full = fleet.api.get("/api/fleet/agent_policies/uses-es-2/full").json().path("item");
            assertEquals(OutputRules.MASK, full.path("outputs").path("es-2").path("api_key").asText());
            assertFalse(fullReply.body().contains(secret));
            assertEquals(HEX, full.path("outputs").path("es-2").path("ssl").path("ca_trusted_fingerprint").asText());
            ManagedFleet.Agent agent = fleet.enrolled(fleet.token("uses-es-2"), java.util.List.of());
            JsonNode received = fleet.takePolicy(agent);
            assertEquals(secret, received.path("outputs").path("es-2").path("api_key").asText(),
                    "agents receive the secret itself");
            String revision = fleet.server.store().latestPolicy("uses-es-2").orElseThrow().data();
            assertFalse(revision.contains(secret) || revision.contains("ui2lp2axTNmsyakw9tvNnw"),
                    "the stored policy revision holds the credential sealed, not in clear");
            assertTrue(revision.contains("\"sealed\""));

            assertEquals(409, fleet.api.delete("/api/fleet/outputs/es-2").status(), "used by a policy");
            assertEquals(200, fleet.api.put("/api/fleet/agent_policies/uses-es-2",
                    Json.object().putNull("data_output_id")).status());
            assertEquals(409, fleet.api.delete("/api/fleet/outputs/fleet-default-output").status(), "the default");
            assertEquals(200, fleet.api.delete("/api/fleet/outputs/es-2").status());
            assertEquals(404, fleet.api.get("/api/fleet/outputs/es-2").status());
        }
    }

    @Test
    void invalidOutputsAre400WithTheFieldAndNothingIsSaved() {
        TestCertificates certs = TestCertificates.rsa(dir.resolve("certs"));
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            String policy = fleet.policy("p1", "p1");
            long revision = revision(fleet, policy);
            String before = fleet.api.get("/api/fleet/outputs").body();

            assertInvalid(fleet, output("https://es:9200").put("config_yaml", "ssl:\n  certificate_authorities: [a\n"
                    + " verification_mode: full: x"), "config_yaml", "not valid YAML");
            assertInvalid(fleet, output("https://es:9200").put("config_yaml", "- just\n- a list"), "config_yaml",
                    "mapping");
            assertInvalid(fleet, output("https://es:9200").put("ca_trusted_fingerprint", "abc123"),
                    "ca_trusted_fingerprint", "64 hex");
            assertInvalid(fleet, output("https://es:9200").put("ca_trusted_fingerprint", HEX.substring(1) + "g"),
                    "ca_trusted_fingerprint", "64 hex");
            assertInvalid(fleet, output("http://es:9200").put("ca_trusted_fingerprint", HEX), "hosts[0]",
                    "not https");
            assertInvalid(fleet, output("http://es:9200").put("config_yaml",
                    "ssl.certificate_authorities: [/etc/ca.crt]"), "hosts[0]", "not https");
            ObjectNode withSsl = output("http://es:9200");
            withSsl.putObject("ssl").putArray("certificate_authorities").add("/etc/ca.crt");
            assertInvalid(fleet, withSsl, "hosts[0]", "not https");
            String brokenPem = "-----BEGIN CERTIFICATE-----\nMIIBnotbase64atall!!\n-----END CERTIFICATE-----\n";
            ObjectNode badPem = output("https://es:9200");
            badPem.putObject("ssl").putArray("certificate_authorities").add(brokenPem);
            assertInvalid(fleet, badPem, "ssl.certificate_authorities[0]", "does not parse");
            assertInvalid(fleet, output("https://es:9200").put("config_yaml",
                    "ssl:\n  certificate_authorities:\n    - |\n      -----BEGIN CERTIFICATE-----\n      AAAA\n"
                            + "      -----END CERTIFICATE-----\n"),
                    "config_yaml: ssl.certificate_authorities[0]", "does not parse");
            assertInvalid(fleet, output("es:9200"), "hosts[0]", "http(s) URL");
            HttpCalls.Reply noHosts = fleet.api.post("/api/fleet/outputs", Json.object().put("name", "x"));
            assertEquals(400, noHosts.status());
            assertEquals("hosts", noHosts.json().path("attributes").path("field").asText());

            assertEquals(before, fleet.api.get("/api/fleet/outputs").body(), "nothing saved");
            assertEquals(revision, revision(fleet, policy), "no new policy revision");

            // the same settings done right are accepted: colons in the fingerprint, a real pasted PEM
            ObjectNode good = output("https://es:9200").put("ca_trusted_fingerprint", colons(certs.caFingerprint()));
            good.putObject("ssl").putArray("certificate_authorities")
                    .add(dev.flotilla.pki.Pem.certificate(certs.ca().certificate()));
            assertEquals(200, fleet.api.post("/api/fleet/outputs", good).status());
        }
    }

    @Test
    void invalidFleetServerHostsAre400() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            ObjectNode plainWithTls = Json.object().put("name", "h");
            plainWithTls.putArray("host_urls").add("http://192.0.2.1:8220");
            plainWithTls.putObject("ssl").putArray("certificate_authorities").add("/etc/fleet-ca.crt");
            HttpCalls.Reply r = fleet.api.post("/api/fleet/fleet_server_hosts", plainWithTls);
            assertEquals(400, r.status(), r.toString());
            assertEquals("host_urls[0]", r.json().path("attributes").path("field").asText());
            HttpCalls.Reply noUrls = fleet.api.post("/api/fleet/fleet_server_hosts", Json.object().put("name", "h"));
            assertEquals("host_urls", noUrls.json().path("attributes").path("field").asText());
            assertEquals(400, fleet.api.post("/api/fleet/fleet_server_hosts", "{not json").status());
            assertEquals(0, fleet.api.get("/api/fleet/fleet_server_hosts").json().path("total").asInt());
        }
    }

    static ObjectNode output(String host) {
        ObjectNode o = Json.object().put("name", "bad-" + host.hashCode()).put("type", "elasticsearch");
        o.putArray("hosts").add(host);
        return o;
    }

    private static void assertInvalid(ManagedFleet fleet, ObjectNode body, String field, String reason) {
        HttpCalls.Reply r = fleet.api.post("/api/fleet/outputs", body);
        assertEquals(400, r.status(), r.toString());
        assertEquals(field, r.json().path("attributes").path("field").asText(), r.toString());
        assertTrue(r.json().path("message").asText().contains(reason), r.toString());
        // an update of the default output with the same body is refused the same way
        HttpCalls.Reply u = fleet.api.put("/api/fleet/outputs/fleet-default-output", body);
        assertEquals(400, u.status(), u.toString());
    }

    private static long revision(ManagedFleet fleet, String policy) {
        return fleet.server.store().latestPolicy(policy).orElseThrow().revision();
    }

    static String colons(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            b.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return b.toString().toUpperCase(java.util.Locale.ROOT);
    }
}
