package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.flotilla.cli.agent.AgentEndToEndTest.assertOneLine;
import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static dev.flotilla.cli.agent.AgentEndToEndTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's {@code --fleet-server-*} bootstrap on the embedded store: the agent starts a Fleet Server inside itself
 * and enrolls into the Fleet Server policy; then other agents enroll into it. The seeds' command lines, which name
 * an Elasticsearch cluster, run against a real one in {@link FleetServerSeedsOnElasticsearchIT} and
 * {@link FleetServerSeedsOnMutualTlsElasticsearchIT}.
 */
@Timeout(300)
class FleetServerBootstrapTest {
    @TempDir
    Path root;

    private Path put(Path from, String rel) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.copy(from, p);
        return p;
    }

    private Path write(String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void delayedEnrollmentIntoTheBootstrapHappensOnFirstRun() throws Exception {
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));
        CliRun install = CliRun.of("agent", "install", "--url=https://localhost:" + port, "--fleet-server-policy=fsp",
                "--fleet-server-port=" + port, "--delay-enroll", "--base-path=" + paths.base());
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(paths.stateStore().load().orElseThrow().isEnrolled()).isFalse();
        try (BootstrapRun run = new BootstrapRun(paths)) {
            run.awaitPolicyAcked();
            assertThat(paths.stateStore().load().orElseThrow().isEnrolled()).isTrue();
        }
    }

    @Test
    void selfSignedWhenNoCertificateIsGivenWithAndWithoutInsecure() throws Exception {
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));
        CliRun install = CliRun.of("agent", "install", "--url=https://localhost:" + port,
                "--fleet-server-policy=fleet-server-policy", "--fleet-server-port=" + port, "--base-path=" + paths.base());
        assertThat(install.exit()).as(install.err()).isZero();
        Path generatedCa = paths.fleetServerDir().resolve("ca.crt");
        assertThat(install.err()).contains("self-signed").contains(generatedCa.toString());
        try (BootstrapRun run = new BootstrapRun(paths)) {
            run.awaitPolicyAcked();
            String token = run.token("fleet-server-policy");
            CliRun strict = CliRun.of("agent", "install", "--url=https://localhost:" + port, "--enrollment-token=" + token,
                    "--base-path=" + root.resolve("a1"));
            assertOneLine(strict);
            assertThat(strict.errorLine()).contains("--certificate-authorities").contains("--insecure");
            assertThat(root.resolve("a1")).doesNotExist();

            CliRun insecure = CliRun.of("agent", "install", "--url=https://localhost:" + port, "--enrollment-token=" + token,
                    "--insecure", "--base-path=" + root.resolve("a2"));
            assertThat(insecure.exit()).as(insecure.err()).isZero();

            CliRun withCa = CliRun.of("agent", "install", "--url=https://localhost:" + port, "--enrollment-token=" + token,
                    "--certificate-authorities=" + generatedCa, "--base-path=" + root.resolve("a3"));
            assertThat(withCa.exit()).as(withCa.err()).isZero();
            assertThat(run.server.server().store().listAgents()).hasSize(3);
        }
    }

    @Test
    void elasticsearchWithoutServiceTokenOrWithHalfAClientCertificateFailsBeforeAnythingStarts() throws Exception {
        int port = freePort();
        Path base = root.resolve("fleet-agent");
        CliRun noToken = CliRun.of("agent", "install", "--url=https://localhost:" + port,
                "--fleet-server-es=https://localhost:9200", "--fleet-server-policy=fsp",
                "--fleet-server-port=" + port, "--base-path=" + base);
        assertOneLine(noToken);
        assertThat(noToken.errorLine()).contains("--fleet-server-es needs a service token")
                .contains("--fleet-server-service-token-path");

        Path cert = write("es-client.crt", "not used");
        CliRun halfCert = CliRun.of("agent", "install", "--url=https://localhost:" + port,
                "--fleet-server-es=https://localhost:9200", "--fleet-server-service-token=t",
                "--fleet-server-es-cert=" + cert, "--fleet-server-port=" + port, "--base-path=" + base);
        assertOneLine(halfCert);
        assertThat(halfCert.errorLine()).contains("--fleet-server-es-cert and --fleet-server-es-cert-key go together");
        assertThat(base.resolve("data/state.enc")).doesNotExist();
    }
}
