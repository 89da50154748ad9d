package dev.flotilla.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A JDK HTTP/1.1 client for the agent API, as a test drives it. */
final class ApiClient {
    private final HttpClient http;
    private final URI base;

    /** One response: status, headers and body (JSON parsed when it is JSON). */
    record Reply(int status, HttpResponse<byte[]> raw) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(raw.body()), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + new String(raw.body());
        }
    }

    ApiClient(URI base, SSLContext ssl) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
        this.base = base;
    }

    Reply send(String method, String path, String apiKey, byte[] body, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (apiKey != null) {
            r.header("Authorization", "ApiKey " + apiKey);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(resp.statusCode(), resp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Reply post(String path, String apiKey, JsonNode body) {
        return send("POST", path, apiKey, Json.bytes(body));
    }

    Reply enroll(String enrollmentToken, ObjectNode body) {
        return post("/api/fleet/agents/enroll", enrollmentToken, body);
    }

    Reply enroll(String enrollmentToken) {
        return enroll(enrollmentToken, enrollBody(List.of("b", "a", "b")));
    }

    Reply checkin(String agentId, String accessKey, ObjectNode body) {
        return post("/api/fleet/agents/" + agentId + "/checkin", accessKey, body);
    }

    Reply ack(String agentId, String accessKey, String... actionIds) {
        ObjectNode body = Json.object();
        var events = body.putArray("events");
        for (String id : actionIds) {
            events.addObject().put("type", "ACTION_RESULT").put("subtype", "ACKNOWLEDGED").put("agent_id", agentId)
                    .put("action_id", id).put("message", "acked " + id).put("timestamp", "2026-01-01T00:00:00Z");
        }
        return post("/api/fleet/agents/" + agentId + "/acks", accessKey, body);
    }

    static ObjectNode enrollBody(List<String> tags) {
        ObjectNode body = Json.object().put("type", "PERMANENT");
        ObjectNode metadata = body.putObject("metadata");
        ObjectNode local = metadata.putObject("local");
        local.putObject("elastic").putObject("agent").put("id", "").put("version", "8.19.0");
        local.putObject("host").put("hostname", "test-host");
        metadata.putObject("user_provided");
        var t = metadata.putArray("tags");
        tags.forEach(t::add);
        return body;
    }

    static ObjectNode checkinBody(String ackToken) {
        ObjectNode body = Json.object().put("status", "online").put("message", "Running");
        if (ackToken != null) {
            body.put("ack_token", ackToken);
        }
        return body;
    }
}
