package dev.flotilla.server.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.server.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementAuthTest {
    @TempDir
    Path dir;

    @Test
    void everyApiCallNeedsTheAdminKey() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            HttpCalls anonymous = fleet.api.withKey(null);
            for (String path : new String[] {"/api/fleet/outputs", "/api/fleet/fleet_server_hosts",
                    "/api/fleet/agent_policies", "/api/fleet/enrollment_api_keys", "/api/fleet/agents"}) {
                HttpCalls.Reply r = anonymous.get(path);
                assertEquals(401, r.status(), path + ": " + r);
                assertTrue(r.json().path("message").asText().contains("admin.key"), r.body());
            }
            HttpCalls.Reply wrong = fleet.api.withKey("not-the-admin-key-but-long-enough").get("/api/fleet/outputs");
            assertEquals(401, wrong.status());
            assertEquals(401, anonymous.post("/api/fleet/agent_policies", Json.object().put("name", "x")).status());
            assertEquals(200, fleet.api.get("/api/fleet/outputs").status());
            // nothing was created by the refused call
            assertEquals(0, fleet.api.get("/api/fleet/agent_policies").json().path("total").asInt());
        }
    }

    @Test
    void adminKeyIsMadeOnceModeSixHundredAndKeptAcrossRestarts() throws Exception {
        String first;
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            Path key = fleet.dataDir.resolve(AdminKey.FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    fleet.dataDir.resolve(SecretBox.FILE))));
            first = fleet.adminKey;
            assertTrue(first.length() >= 40);
            String urlFile = Files.readString(fleet.dataDir.resolve(ManagementServer.URL_FILE));
            assertTrue(urlFile.contains(fleet.server.management().url().toString()), urlFile);
            assertTrue(fleet.server.management().url().getHost().equals("127.0.0.1"));
        }
        try (ManagedFleet again = ManagedFleet.start(dir)) {
            assertEquals(first, again.adminKey);
            assertEquals(200, again.api.get("/api/fleet/agents").status());
        }
    }

    @Test
    void webPageIsServedWithoutDataAndTheApiStillNeedsTheKey() {
        try (ManagedFleet fleet = ManagedFleet.start(dir)) {
            HttpCalls anonymous = fleet.api.withKey(null);
            HttpCalls.Reply page = anonymous.get("/app/");
            assertEquals(200, page.status());
            assertTrue(page.body().contains("<script src=\"app.js\""), page.body());
            assertTrue(page.raw().headers().firstValue("Content-Security-Policy").orElse("").contains("'self'"));
            HttpCalls.Reply js = anonymous.get("/app/app.js");
            assertEquals(200, js.status());
            assertTrue(js.body().contains("/api/fleet/outputs"));
            assertFalse(js.body().contains(fleet.adminKey));
            assertEquals(404, anonymous.get("/app/../admin.key").status());
            assertEquals(404, anonymous.get("/app/admin.key").status());
        }
    }

    @Test
    void plainHttpManagementRefusesANonLoopbackAddress() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () ->
                dev.flotilla.server.FleetServer.start(dev.flotilla.server.FleetServerConfig.builder()
                        .host("127.0.0.1").port(0).insecureHttp(true).dataDir(dir.resolve("d"))
                        .management(ManagementSettings.defaults().withAddress("0.0.0.0", 0)).build()));
        assertTrue(e.getMessage().contains("localhost only"), e.getMessage());
    }
}
