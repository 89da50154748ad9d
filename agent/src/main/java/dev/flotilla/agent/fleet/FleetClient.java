package dev.flotilla.agent.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.AgentException;
import dev.flotilla.tls.ClientTls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The agent-facing Fleet Server API over {@link HttpClient} (HTTP/1.1, TLS from the enrollment's
 * {@code ssl.*} settings). Every failure becomes either a {@link FleetApiException} (Fleet Server answered
 * with an error) or a {@link FleetUnreachableException} (no answer), each with a message that names the fix.
 */
public final class FleetClient implements FleetApi {
    static final String API_VERSION = "2023-06-01";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_MARGIN = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final FleetErrors errors;

    FleetClient(URI base, HttpClient http, ClientTls tls) {
        this.base = base;
        this.http = http;
        this.errors = new FleetErrors(base, tls);
    }

    /** A client of the first host of {@code connection}. */
    public static FleetClient connect(FleetConnection connection) {
        return connect(connection, 0);
    }

    /** A client of host number {@code index} of {@code connection}. */
    public static FleetClient connect(FleetConnection connection, int index) {
        URI uri = FleetUrls.parse(connection.hosts().get(index));
        ClientTls tls = FleetHttp.tls(connection, uri);
        return new FleetClient(uri, FleetHttp.client(connection, tls), tls);
    }

    @Override
    public String url() {
        return base.toString();
    }

    @Override
    public EnrollResponse enroll(String enrollmentToken, EnrollRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "PERMANENT");
        if (request.agentId() != null) {
            body.put("id", request.agentId());
        }
        if (request.replaceToken() != null) {
            body.put("replace_token", request.replaceToken());
        }
        ObjectNode metadata = body.putObject("metadata");
        metadata.set("local", JSON.valueToTree(request.localMetadata()));
        metadata.putObject("user_provided");
        ArrayNode tags = metadata.putArray("tags");
        request.tags().forEach(tags::add);
        JsonNode answer = send("enroll", "/api/fleet/agents/enroll", "ApiKey " + enrollmentToken, body, REQUEST_TIMEOUT);
        JsonNode item = answer.path("item");
        if (!item.hasNonNull("id") || !item.hasNonNull("access_api_key")) {
            throw new AgentException("Fleet Server at " + base + " answered the enrollment without an agent id or"
                    + " access key; is " + base + " really a Fleet Server?");
        }
        List<String> tagList = new ArrayList<>();
        item.path("tags").forEach(t -> tagList.add(t.asText()));
        return new EnrollResponse(item.get("id").asText(), item.path("policy_id").asText(null),
                item.path("access_api_key_id").asText(null), item.get("access_api_key").asText(), tagList,
                item.path("enrolled_at").asText(null));
    }

    @Override
    public CheckinResponse checkin(String agentId, String accessApiKey, CheckinRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", request.status());
        body.put("message", request.message());
        if (request.ackToken() != null && !request.ackToken().isEmpty()) {
            body.put("ack_token", request.ackToken());
        }
        if (request.localMetadata() != null) {
            body.set("local_metadata", JSON.valueToTree(request.localMetadata()));
        }
        if (request.agentPolicyId() != null) {
            body.put("agent_policy_id", request.agentPolicyId());
            body.put("policy_revision_idx", request.policyRevisionIdx());
        }
        Duration poll = request.pollTimeout();
        body.put("poll_timeout", poll.toSeconds() + "s");
        JsonNode answer = send("check-in", "/api/fleet/agents/" + agentId + "/checkin", "ApiKey " + accessApiKey,
                body, poll.plus(POLL_MARGIN));
        List<Action> actions = new ArrayList<>();
        answer.path("actions").forEach(a -> actions.add(Action.fromJson(a)));
        return new CheckinResponse(answer.path("ack_token").asText(""), actions);
    }

    @Override
    public void ack(String agentId, String accessApiKey, List<AckEvent> events) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("events");
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        for (AckEvent e : events) {
            ObjectNode n = list.addObject();
            n.put("type", "ACTION_RESULT");
            n.put("subtype", "ACKNOWLEDGED");
            n.put("agent_id", agentId);
            n.put("action_id", e.actionId());
            n.put("message", "Action '" + e.actionId() + "' of type '" + e.actionType() + "' acknowledged.");
            n.put("timestamp", now);
            if (e.error() != null) {
                n.put("error", e.error());
            }
        }
        JsonNode answer = send("ack", "/api/fleet/agents/" + agentId + "/acks", "ApiKey " + accessApiKey, body,
                REQUEST_TIMEOUT);
        if (answer.path("errors").asBoolean(false)) {
            throw new FleetApiException(200, "AckItemFailed", "Fleet Server at " + base
                    + " refused some acks: " + answer.path("items"));
        }
    }

    @Override
    public void auditUnenroll(String agentId, String accessApiKey, String reason) {
        ObjectNode body = JSON.createObjectNode();
        body.put("reason", reason);
        body.put("timestamp", OffsetDateTime.now(ZoneOffset.UTC).toString());
        send("audit unenroll", "/api/fleet/agents/" + agentId + "/audit/unenroll", "ApiKey " + accessApiKey, body,
                REQUEST_TIMEOUT, true);
    }

    private JsonNode send(String what, String path, String authorization, JsonNode body, Duration timeout) {
        return send(what, path, authorization, body, timeout, false);
    }

    private JsonNode send(String what, String path, String authorization, JsonNode body, Duration timeout,
                          boolean emptyAnswerOk) {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .header("Elastic-Api-Version", API_VERSION)
                .header("Accept-Encoding", "gzip") // a policy answer is ~10 KB of JSON, a few as gzip
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
                .build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw errors.unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetUnreachableException(what + " to " + base + " interrupted", e);
        }
        JsonNode answer = parse(decoded(what, resp));
        if (resp.statusCode() >= 300) {
            throw errors.status(what, resp.statusCode(), answer);
        }
        if (answer == null && !emptyAnswerOk) {
            throw new AgentException("Fleet Server at " + base + " answered the " + what + " with a body that is"
                    + " not JSON; is " + base + " really a Fleet Server (check --url)?");
        }
        return answer;
    }

    /** The body, inflated when the server sent it gzip. */
    private byte[] decoded(String what, HttpResponse<byte[]> resp) {
        String encoding = resp.headers().firstValue("Content-Encoding").orElse("identity").strip();
        if (encoding.equalsIgnoreCase("identity") || resp.body() == null || resp.body().length == 0) {
            return resp.body();
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new AgentException("Fleet Server at " + base + " answered the " + what + " with Content-Encoding '"
                    + encoding + "'; the agent asked for gzip or none (is a proxy in between rewriting it?)");
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(resp.body()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new FleetUnreachableException("Fleet Server at " + base + " answered the " + what
                    + " with a gzip body that cannot be read (" + e.getMessage() + "); the agent tries again", e);
        }
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21; dropping the reference lets its threads end.
    }
}
