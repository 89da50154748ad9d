package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy answers to agents that send {@code Accept-Encoding: gzip} (as an Elastic Agent's Go client does) come
 * gzip, with the policy compressed once per revision; checked with the real curl and gzip, on the immediate answer
 * and on a long poll woken by a new revision.
 */
class GzipAnswersTest {
    @TempDir
    Path dir;

    /** A policy of ~10 KB: above the compression threshold, as users' policies are. */
    private static ObjectNode bigPolicy(String url, int edit) {
        ObjectNode doc = Policies.starter(List.of(url), "https://es:9200");
        ArrayNode inputs = doc.putArray("inputs");
        for (int i = 0; i < 60; i++) {
            inputs.addObject().put("id", "system/metrics-" + i + "-" + edit).put("type", "system/metrics")
                    .put("use_output", "default").putObject("data_stream").put("dataset", "system.cpu." + i);
        }
        return doc;
    }

    /** Raw curl (no --compressed): its headers and the body bytes as sent. */
    private record Raw(String headers, byte[] body) {
        boolean gzip() {
            return headers.toLowerCase(Locale.ROOT).contains("content-encoding: gzip");
        }
    }

    private Process curl(String url, String key, String json, boolean acceptGzip, String name) throws Exception {
        Path body = Files.writeString(dir.resolve(name + ".req"), json);
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-D",
                dir.resolve(name + ".headers").toString(), "-o", dir.resolve(name + ".body").toString(),
                "-H", "Authorization: ApiKey " + key, "-H", "Content-Type: application/json",
                "--data-binary", "@" + body));
        if (acceptGzip) {
            cmd.addAll(List.of("-H", "Accept-Encoding: gzip"));
        }
        cmd.add(url);
        return new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private Raw finish(Process p, String name) throws Exception {
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".err"))).isZero();
        return new Raw(Files.readString(dir.resolve(name + ".headers")), Files.readAllBytes(dir.resolve(name + ".body")));
    }

    private byte[] gunzipWithTool(byte[] gz, String name) throws Exception {
        Path f = Files.write(dir.resolve(name + ".gz"), gz);
        Process p = new ProcessBuilder("gzip", "-dc", f.toString()).redirectError(dir.resolve(name + ".gzerr").toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve(name + ".gzerr"))).isZero();
        return out;
    }

    @Test
    void policyAnswersComeGzipToAgentsThatAcceptIt() throws Exception {
        try (TestFleet fleet = TestFleet.plain(dir)) {
            String url = fleet.server.url().toString();
            long rev = fleet.server.policies().put(TestFleet.POLICY, bigPolicy(url, 1)).revision();
            TestFleet.Agent agent = fleet.enroll();
            String checkinUrl = url.replaceAll("/$", "") + "/api/fleet/agents/" + agent.id() + "/checkin";
            String body = Json.text(ApiClient.checkinBody(null));

            // the same answer three ways: JDK client (no Accept-Encoding), curl raw with gzip, curl without
            JsonNode expected = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null)).json();
            assertThat(expected.path("actions").get(0).path("data").path("policy").path("revision").asLong())
                    .isEqualTo(rev);
            Raw gz = finish(curl(checkinUrl, agent.key(), body, true, "gz"), "gz");
            Raw plain = finish(curl(checkinUrl, agent.key(), body, false, "plain"), "plain");
            assertThat(gz.gzip()).as(gz.headers()).isTrue();
            assertThat(plain.gzip()).as(plain.headers()).isFalse();
            byte[] inflated = gunzipWithTool(gz.body(), "gz");
            assertThat(Json.MAPPER.readTree(inflated)).isEqualTo(expected);
            assertThat(inflated).isEqualTo(plain.body());
            assertThat(gz.body().length).isLessThan(plain.body().length / 3);
            assertThat(gz.headers()).containsIgnoringCase("content-length: " + gz.body().length);

            // a long poll woken by a new revision: the answer built on wake-up is gzip too
            ObjectNode waiting = ApiClient.checkinBody(null).put("agent_policy_id", TestFleet.POLICY)
                    .put("policy_revision_idx", rev);
            Process poll = curl(checkinUrl, agent.key(), Json.text(waiting), true, "poll");
            AgentFlowTest.awaitTrue(() -> fleet.server.waitingCheckins() > 0, "the curl check-in waits");
            assertThat(fleet.server.waitingCheckins()).isEqualTo(1);
            long next = fleet.server.policies().put(TestFleet.POLICY, bigPolicy(url, 2)).revision();
            Raw woken = finish(poll, "poll");
            assertThat(woken.gzip()).as(woken.headers()).isTrue();
            JsonNode answer = Json.MAPPER.readTree(gunzipWithTool(woken.body(), "poll"));
            assertThat(answer.path("actions").get(0).path("data").path("policy").path("revision").asLong())
                    .isEqualTo(next);
            assertThat(answer.path("actions").get(0).path("agent_id").asText()).isEqualTo(agent.id());
        }
    }

    @Test
    void smallAnswersAndRefusedGzipStayPlain() throws Exception {
        try (TestFleet fleet = TestFleet.plain(dir)) { // the starter policy: an answer under 1 KiB
            TestFleet.Agent agent = fleet.enroll();
            String checkinUrl = fleet.server.url().toString().replaceAll("/$", "") + "/api/fleet/agents/" + agent.id()
                    + "/checkin";
            Raw small = finish(curl(checkinUrl, agent.key(), Json.text(ApiClient.checkinBody(null)), true, "small"),
                    "small");
            assertThat(small.gzip()).as(small.headers()).isFalse();
            assertThat(Json.MAPPER.readTree(small.body()).path("actions").get(0).path("type").asText())
                    .isEqualTo("POLICY_CHANGE");

            fleet.server.policies().put(TestFleet.POLICY, bigPolicy(fleet.server.url().toString(), 1));
            Path req = Files.writeString(dir.resolve("q0.req"), Json.text(ApiClient.checkinBody(null)));
            Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "-D", dir.resolve("q0.headers").toString(),
                    "-o", dir.resolve("q0.body").toString(), "-H", "Authorization: ApiKey " + agent.key(),
                    "-H", "Content-Type: application/json", "-H", "Accept-Encoding: gzip;q=0, identity",
                    "--data-binary", "@" + req, checkinUrl).redirectError(dir.resolve("q0.err").toFile()).start();
            Raw refused = finish(p, "q0");
            assertThat(refused.gzip()).as(refused.headers()).isFalse();
            assertThat(Json.MAPPER.readTree(refused.body()).path("actions").get(0).path("type").asText())
                    .isEqualTo("POLICY_CHANGE");
        }
    }
}
