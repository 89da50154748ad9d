package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import dev.flotilla.cli.Flotilla;
import dev.flotilla.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flotilla agent run} as a real process, killed with SIGKILL and started again: same identity (no
 * re-enrollment: the token is revoked in between), and the events it had queued while its output was failing are
 * delivered after the restart.
 */
@Timeout(300)
class AgentRestartTest {
    @TempDir
    Path root;

    private Process run(AgentPaths paths, String logName) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Flotilla.class.getName(), "agent", "run", "--base-path=" + paths.base(), "--poll-timeout=PT65S",
                "--monitor-interval=PT1S"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve(logName).toFile()).start();
    }

    private static Map<String, Object> policy(String esUrl, Path esCa, Path log) {
        return Map.of("outputs", Map.of("default", Map.of("type", "elasticsearch", "hosts", List.of(esUrl),
                        "ssl", Map.of("certificate_authorities", List.of(esCa.toString())))),
                "agent", Map.of("monitoring", Map.of("enabled", false)),
                "inputs", List.of(Map.of("id", "logs", "type", "logfile", "streams",
                        List.of(Map.of("paths", List.of(log.toString()), "data_stream", Map.of("dataset", "app"))))));
    }

    @Test
    void killedAgentKeepsItsIdentityAndItsQueuedEvents() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued cert = pki.server("localhost");
        TestCertificates wrong = pki.otherCa("wrong");
        Files.createDirectories(root.resolve("path/to"));
        Files.copy(pki.caCertificate(), root.resolve("path/to/ca.crt"));
        Path log = Files.writeString(root.resolve("app.log"), "");
        AgentPaths paths = new AgentPaths(root.resolve("agent"));
        try (BulkRecorder es = new BulkRecorder(cert.credential());
             TestFleetServer fleet = TestFleetServer.https(root, Map.of("certificate", cert.certificate().toString(),
                     "key", cert.key().toString()), policy(es.url(), wrong.caCertificate(), log))) {
            CliRun install = CliRun.of(Seeds.localize(Seeds.AGENT_TLS, root, fleet.port(), fleet.token, paths.base().toString()));
            assertThat(install.exit()).as(install.err()).isZero();
            String id = paths.stateStore().load().orElseThrow().enrollment().agentId();

            Process first = run(paths, "run-1.log");
            try {
                await("policy 1 acked", () -> fleet.agent(id).policyRevision() >= 1);
                Files.writeString(log, "queued before the kill 1\nqueued before the kill 2\n");
                await("lines queued on disk", () -> registryOffset(paths) == 50);
                assertThat(es.documents).as("output has the wrong CA: nothing may arrive").isEmpty();
            } finally {
                first.destroyForcibly();
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).isEqualTo(137);

            fleet.server.enrollmentTokens().revoke(fleet.tokenId);
            fleet.putPolicy(policy(es.url(), pki.caCertificate(), log));
            Process second = run(paths, "run-2.log");
            try {
                await("queued events delivered after restart",
                        () -> es.has("queued before the kill 1") && es.has("queued before the kill 2"));
                await("policy 2 acked by the same agent", () -> fleet.agent(id).policyRevision() >= 2);
            } finally {
                second.destroy();
                assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(paths.stateStore().load().orElseThrow().enrollment().agentId()).isEqualTo(id);
            assertThat(fleet.agentCount()).isEqualTo(1);
            assertThat(Files.readString(root.resolve("run-2.log"))).doesNotContain("enrolling now").contains(id);
        }
    }

    private static long registryOffset(AgentPaths paths) {
        try {
            String json = Files.exists(paths.registryFile()) ? Files.readString(paths.registryFile()) : "";
            var m = java.util.regex.Pattern.compile("\"offset\":(\\d+)").matcher(json);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
