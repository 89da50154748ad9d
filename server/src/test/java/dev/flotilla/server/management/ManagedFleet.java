package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A Fleet Server (plain HTTP on loopback, SQLite in a temp dir) with the management API on a free port; a
 * client for each side: {@link #api} with the admin key, {@link #agents} for the agent API.
 */
final class ManagedFleet implements AutoCloseable {
    static final CheckinSettings LONG_POLLS = new CheckinSettings(Duration.ofSeconds(60), Duration.ZERO,
            Duration.ofSeconds(1), Duration.ofSeconds(120), Duration.ofMillis(100));

    final FleetServer server;
    final Path dataDir;
    final String adminKey;
    final HttpCalls api;
    final HttpCalls agents;

    private ManagedFleet(FleetServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
        try {
            this.adminKey = Files.readString(dataDir.resolve(AdminKey.FILE)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.api = new HttpCalls(server.management().url(), adminKey);
        this.agents = new HttpCalls(server.url(), null);
    }

    static ManagedFleet start(Path dir, Duration offlineAfter) {
        Path data = dir.resolve("data");
        FleetServer server = FleetServer.start(FleetServerConfig.builder().host("127.0.0.1").port(0)
                .insecureHttp(true).dataDir(data).checkin(LONG_POLLS).changePollInterval(Duration.ofMillis(100))
                .shutdownGrace(Duration.ofSeconds(3)).workerThreads(8).ioThreads(2)
                .management(ManagementSettings.defaults().withAddress("127.0.0.1", 0).withOfflineAfter(offlineAfter))
                .build());
        try {
            return new ManagedFleet(server, data);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    static ManagedFleet start(Path dir) {
        return start(dir, Duration.ofMinutes(7));
    }

    /** Creates a policy through the API and returns its id. */
    String policy(String id, String name) {
        HttpCalls.Reply r = api.post("/api/fleet/agent_policies", Json.object().put("id", id).put("name", name));
        if (r.status() != 200) {
            throw new AssertionError("create policy: " + r);
        }
        return id;
    }

    /** Creates an enrollment token for the policy and returns the secret token. */
    String token(String policyId) {
        HttpCalls.Reply r = api.post("/api/fleet/enrollment_api_keys", Json.object().put("policy_id", policyId));
        if (r.status() != 200) {
            throw new AssertionError("create token: " + r);
        }
        return r.json().path("item").path("api_key").asText();
    }

    record Agent(String id, String key) {
    }

    HttpCalls.Reply enroll(String token, List<String> tags) {
        ObjectNode body = Json.object().put("type", "PERMANENT");
        ObjectNode meta = body.putObject("metadata");
        meta.putObject("local").putObject("host").put("hostname", "host-" + tags);
        meta.putObject("user_provided");
        var t = meta.putArray("tags");
        tags.forEach(t::add);
        return agents.withKey(token).post("/api/fleet/agents/enroll", body);
    }

    Agent enrolled(String token, List<String> tags) {
        HttpCalls.Reply r = enroll(token, tags);
        if (r.status() != 200) {
            throw new AssertionError("enroll: " + r);
        }
        JsonNode item = r.json().path("item");
        return new Agent(item.path("id").asText(), item.path("access_api_key").asText());
    }

    HttpCalls.Reply checkin(Agent a, String status) {
        return agents.withKey(a.key()).post("/api/fleet/agents/" + a.id() + "/checkin",
                Json.object().put("status", status).put("message", status).put("poll_timeout", "1s"));
    }

    HttpCalls.Reply ack(Agent a, String actionId) {
        ObjectNode body = Json.object();
        body.putArray("events").addObject().put("type", "ACTION_RESULT").put("subtype", "ACKNOWLEDGED")
                .put("agent_id", a.id()).put("action_id", actionId).put("message", "ok")
                .put("timestamp", "2026-01-01T00:00:00Z");
        return agents.withKey(a.key()).post("/api/fleet/agents/" + a.id() + "/acks", body);
    }

    /** The first POLICY_CHANGE policy of a check-in answer, or null. */
    static JsonNode policyOf(HttpCalls.Reply checkin) {
        for (JsonNode a : checkin.json().path("actions")) {
            if (a.path("type").asText().equals("POLICY_CHANGE")) {
                return a.path("data").path("policy");
            }
        }
        return null;
    }

    /** Checks in and acks the POLICY_CHANGE it gets; returns that policy. */
    JsonNode takePolicy(Agent a) {
        HttpCalls.Reply r = checkin(a, "online");
        JsonNode policy = policyOf(r);
        if (policy == null) {
            throw new AssertionError("no POLICY_CHANGE in " + r);
        }
        ack(a, "policy:" + policy.path("id").asText() + ":" + policy.path("revision").asLong());
        server.flushCheckins();
        return policy;
    }

    static void await(String what, Duration max, BooleanSupplier condition) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + max + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
