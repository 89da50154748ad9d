package dev.flotilla.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.bench.internal.Trees;
import dev.flotilla.server.auth.ApiKeyCredentials;
import dev.flotilla.server.auth.ApiKeys;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.checkin.CheckinRequest;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Fleet Server's hot paths, per call: API key verification (header parse + SHA-256 + constant-time compare,
 * and the full agent authentication against the SQLite store), check-in request parsing, and building +
 * serialising the POLICY_CHANGE action handed to every agent on a policy change. Short runs: 1 fork, few
 * iterations; on a shared 2-core box the error bars are wide.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ServerHotPaths {

    private Path dir;
    private SqliteFleetStore store;
    private Authenticator authenticator;
    private PolicyChangeBuilder policyChanges;
    private ApiRequest checkinRequest;
    private String agentId;
    private ApiKeyRecord key;
    private String secret;
    private List<String> authorization;
    private byte[] checkinBody;
    private AgentRecord agent;
    private PolicyRevision revision;
    private ObjectNode prebuilt;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("flotilla-jmh-");
        store = SqliteFleetStore.openInDirectory(dir);
        revision = store.putPolicy("bench-policy", Json.text(policyDocument()));
        Instant now = Instant.now();
        agentId = "0b6d3a52-2b7e-4a49-8d3c-4f2d1a1c9e11";
        ApiKeys.Issued issued = ApiKeys.issue(ApiKeyRecord.AGENT, agentId, now);
        key = issued.record();
        String decoded = new String(java.util.Base64.getDecoder().decode(issued.token()), StandardCharsets.UTF_8);
        secret = decoded.substring(decoded.indexOf(':') + 1);
        agent = new AgentRecord(agentId, true, "bench-policy", "PERMANENT", now, key.id(), null, null,
                "{\"host\":{\"hostname\":\"bench\"}}", List.of("bench"), 1, -1, null, null, null, null, null, null, now);
        store.enrollAgent(agent, key);
        authenticator = new Authenticator(store);
        policyChanges = new PolicyChangeBuilder(store);
        authorization = List.of("ApiKey " + issued.token());
        HttpHeaders headers = new DefaultHttpHeaders().set(HttpHeaderNames.AUTHORIZATION, authorization.get(0));
        checkinBody = ("{\"status\":\"online\",\"message\":\"Running\",\"ack_token\":\"policy:bench-policy:1\","
                + "\"poll_timeout\":\"5m\",\"local_metadata\":{\"host\":{\"hostname\":\"bench\",\"ip\":[\"10.0.0.7\"]},"
                + "\"elastic\":{\"agent\":{\"version\":\"8.19.0\"}}},\"components\":[{\"id\":\"log-default\",\"type\":\"log\","
                + "\"status\":\"HEALTHY\",\"message\":\"ok\",\"units\":[]}]}").getBytes(StandardCharsets.UTF_8);
        checkinRequest = new ApiRequest(HttpMethod.POST, "/api/fleet/agents/" + agentId + "/checkin",
                Map.of("id", agentId), headers, checkinBody, new InetSocketAddress("127.0.0.1", 40000), "checkin",
                new java.util.concurrent.CompletableFuture<Void>());
        prebuilt = Json.object().put("action", "checkin").put("ack_token", "");
        prebuilt.putArray("actions").add(policyChanges.build(agent.id(), revision));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        Trees.delete(dir);
    }

    /** Header parse + SHA-256 of the secret + constant-time compare; no store. */
    @Benchmark
    public boolean apiKeyVerify() {
        ApiKeyCredentials c = ApiKeyCredentials.fromHeaders(authorization);
        return ApiKeys.matches(key, c.secret());
    }

    /** What every agent request pays: find the key and the agent in SQLite, check both. */
    @Benchmark
    public dev.flotilla.server.store.AgentCore agentAuthentication() {
        return authenticator.agent(checkinRequest, agentId);
    }

    /** Parse a check-in body (JSON) into a CheckinRequest. */
    @Benchmark
    public CheckinRequest checkinParse() {
        JsonNode body = Json.parseBody(checkinBody);
        return CheckinRequest.parse(body);
    }

    /** The check-in's front half: authenticate the agent, then parse the body. */
    @Benchmark
    public CheckinRequest checkinAuthenticateAndParse() {
        authenticator.agent(checkinRequest, agentId);
        return CheckinRequest.parse(Json.parseBody(checkinBody));
    }

    /** Build the POLICY_CHANGE action for one agent and serialise the check-in response, as on a fan-out. */
    @Benchmark
    public byte[] policyChangeSerialize() {
        ObjectNode response = Json.object().put("action", "checkin").put("ack_token", "");
        response.putArray("actions").add(policyChanges.build(agent.id(), revision));
        return Json.bytes(response);
    }

    /** Reference for apiKeyVerify: one bare SHA-256 of a secret of the same length. */
    @Benchmark
    public byte[] referenceSha256() throws java.security.NoSuchAlgorithmException {
        return java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Reference for checkinParse: Jackson reading the same body into a tree, nothing else. */
    @Benchmark
    public JsonNode referenceJsonRead() throws IOException {
        return Json.MAPPER.readTree(checkinBody);
    }

    /** Reference for policyChangeSerialize: Jackson writing an already built response of the same content. */
    @Benchmark
    public byte[] referenceJsonWrite() throws IOException {
        return Json.MAPPER.writeValueAsBytes(prebuilt);
    }

    /** A policy of realistic size: the starter plus a few log and metric inputs (about 4 KiB of JSON). */
    static ObjectNode policyDocument() {
        ObjectNode doc = Policies.starter(List.of("https://fleet.example:8220"), "https://es.example:9200");
        var inputs = doc.withArray("inputs");
        for (int i = 0; i < 8; i++) {
            ObjectNode in = inputs.addObject().put("id", "logfile-" + i).put("type", "logfile").put("use_output", "default");
            in.putObject("data_stream").put("namespace", "default");
            ObjectNode stream = in.putArray("streams").addObject().put("id", "logfile-system.syslog-" + i);
            stream.putObject("data_stream").put("dataset", "system.syslog").put("type", "logs");
            stream.putArray("paths").add("/var/log/messages*").add("/var/log/syslog*").add("/var/log/system*");
            stream.putArray("processors").addObject().putObject("add_locale").put("format", "offset");
        }
        return doc;
    }
}
