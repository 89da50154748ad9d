package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.testing.FreePorts;
import dev.flotilla.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static dev.flotilla.cli.agent.AgentEndToEndTest.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --delay-enroll}: the stored enrollment is performed on the first run, retried while Fleet Server cannot
 * be reached, and abandoned at once when Fleet Server refuses the token.
 */
@Timeout(180)
class DelayedEnrollmentTest {
    @TempDir
    Path root;

    @Test
    void firstRunWaitsForFleetServerThenEnrollsOnce() throws Exception {
        TestCertificates pki = TestCertificates.ec(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued cert = pki.server("localhost");
        Map<String, Object> ssl = Map.of("certificate", cert.certificate().toString(), "key", cert.key().toString());
        Path fleetDir = root.resolve("fleet");
        int port;
        String token;
        try (TestFleetServer first = TestFleetServer.https(fleetDir, FreePorts.outsideEphemeralRange(), ssl, Map.of())) {
            port = first.port();
            token = first.token;
        }
        String base = root.resolve("agent").toString();
        CliRun install = CliRun.of("agent", "install", "--url=https://localhost:" + port,
                "--certificate-authorities=" + pki.caCertificate(), "--enrollment-token=" + token,
                "--delay-enroll", "--base-path=" + base, "--non-interactive");
        assertThat(install.exit()).as(install.err()).isZero();

        AgentPaths paths = new AgentPaths(Path.of(base));
        CompletableFuture<Agent> starting = CompletableFuture.supplyAsync(() -> Agent.start(paths, fast()));
        Thread.sleep(1500); // a few refused attempts (backoff 200 ms doubling)
        assertThat(starting).as("no Fleet Server is listening yet: the enrollment must still be retrying").isNotDone();
        try (TestFleetServer fleet = TestFleetServer.https(fleetDir, port, ssl, Map.of());
             Agent agent = starting.get(60, TimeUnit.SECONDS)) {
            String id = agent.state().enrollment().agentId();
            assertThat(paths.stateStore().load().orElseThrow().isEnrolled()).isTrue();
            await("policy acked", () -> fleet.agent(id).policyRevision() >= 1);
            assertThat(fleet.agentCount()).as("one agent, enrolled once").isEqualTo(1);
        }
    }

    @Test
    void aRefusedTokenEndsTheFirstRunAtOnceWithTheServersReason() throws Exception {
        TestCertificates pki = TestCertificates.ec(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued cert = pki.server("localhost");
        Map<String, Object> ssl = Map.of("certificate", cert.certificate().toString(), "key", cert.key().toString());
        try (TestFleetServer fleet = TestFleetServer.https(root.resolve("fleet"), ssl, Map.of())) {
            String base = root.resolve("agent").toString();
            CliRun install = CliRun.of("agent", "install", "--url=https://localhost:" + fleet.port(),
                    "--certificate-authorities=" + pki.caCertificate(), "--enrollment-token=bm90LWEtdG9rZW4=",
                    "--delay-enroll", "--base-path=" + base, "--non-interactive");
            assertThat(install.exit()).as(install.err()).isZero();
            AgentPaths paths = new AgentPaths(Path.of(base));
            CompletableFuture<Agent> starting = CompletableFuture.supplyAsync(() -> Agent.start(paths, fast()));
            assertThatThrownBy(() -> starting.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(AgentException.class).hasMessageContaining("401");
            assertThat(paths.stateStore().load().orElseThrow().isEnrolled()).as("still pending, nothing lost").isFalse();
            assertThat(fleet.agentCount()).isZero();
        }
    }
}
