package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static dev.flotilla.cli.agent.AgentEndToEndTest.fast;
import static org.assertj.core.api.Assertions.assertThat;

/** Actions from a real Fleet Server reaching a running agent: SETTINGS, new fleet.hosts, UNENROLL. */
@Timeout(300)
class AgentActionsTest {
    @TempDir
    Path root;

    @Test
    void settingsFleetHostsAndUnenroll() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued cert = pki.server("localhost");
        Map<String, Object> policy = new HashMap<>(Map.of("agent", Map.of("monitoring", Map.of("enabled", false))));
        AgentPaths paths = new AgentPaths(root.resolve("agent"));
        try (TestFleetServer fleet = TestFleetServer.https(root, Map.of("certificate", cert.certificate().toString(),
                "key", cert.key().toString()), policy)) {
            String url = "https://localhost:" + fleet.port();
            CliRun enroll = CliRun.of("agent", "enroll", "--base-path=" + paths.base(), "--url=" + url,
                    "--enrollment-token=" + fleet.token, "--certificate-authorities=" + pki.caCertificate(), "--tag=web");
            assertThat(enroll.exit()).as(enroll.err()).isZero();
            try (Agent agent = Agent.start(paths, fast().withLogLevelSetter(LogLevels::apply))) {
                String id = agent.state().enrollment().agentId();
                await("policy 1 acked", () -> fleet.agent(id).policyRevision() >= 1);

                fleet.server.actions().settings(List.of(id), "debug");
                await("log level from SETTINGS stored", () -> "debug".equals(agent.state().logLevel()));
                assertThat(org.slf4j.LoggerFactory.getLogger(Agent.class).isDebugEnabled()).as("applied live").isTrue();
                LogLevels.apply("info");

                int closed = AgentEndToEndTest.freePort();
                policy.put("fleet", Map.of("hosts", List.of("https://localhost:" + closed)));
                fleet.putPolicy(policy);
                await("policy 2 acked", () -> fleet.agent(id).policyRevision() >= 2);
                assertThat(agent.state().enrollment().connection().hosts())
                        .as("unreachable new fleet.hosts must not replace working ones").containsExactly(url);

                String byIp = "https://127.0.0.1:" + fleet.port();
                policy.put("fleet", Map.of("hosts", List.of(byIp)));
                fleet.putPolicy(policy);
                await("policy 3 acked", () -> fleet.agent(id).policyRevision() >= 3);
                assertThat(agent.state().enrollment().connection().hosts()).containsExactly(byIp);
                assertThat(paths.stateStore().load().orElseThrow().enrollment().connection().hosts()).containsExactly(byIp);

                fleet.server.actions().unenroll(List.of(id));
                assertThat(agent.awaitTermination(Duration.ofSeconds(60))).as("agent stops on UNENROLL").isTrue();
                assertThat(paths.stateFile()).as("credentials removed").doesNotExist();
                assertThat(paths.vaultKey()).doesNotExist();
                await("Fleet Server marked it inactive", () -> !fleet.agent(id).active());
            }
            CliRun status = CliRun.of("agent", "status", "--base-path=" + paths.base());
            assertThat(status.errorLine()).contains("no agent is enrolled");
        }
    }
}
