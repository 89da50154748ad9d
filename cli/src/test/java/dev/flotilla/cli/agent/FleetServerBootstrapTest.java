package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.flotilla.cli.agent.AgentEndToEndTest.assertOneLine;
import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static dev.flotilla.cli.agent.AgentEndToEndTest.fast;
import static dev.flotilla.cli.agent.AgentEndToEndTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' {@code --fleet-server-*} command lines: the agent starts a Fleet Server inside itself and enrolls into
 * the Fleet Server policy; then other agents enroll into it (with and without the certificates it demands).
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

    /** What {@code flotilla agent run} does, in-process: the recorded Fleet Server, then the agent. */
    private static final class Run implements AutoCloseable {
        final FleetServerBootstrap.Running server;
        final Agent agent;

        Run(AgentPaths paths) {
            AgentState s = paths.stateStore().load().orElseThrow();
            server = FleetServerBootstrap.start(paths, s.fleetServer());
            agent = Agent.start(paths, fast());
        }

        String token(String policy) {
            return server.server().enrollmentTokens().create("more agents", policy).token();
        }

        void awaitPolicyAcked() throws InterruptedException {
            String id = agent.state().enrollment().agentId();
            await("bootstrap agent acked its policy",
                    () -> server.server().store().findAgent(id).map(a -> a.policyRevision() >= 1).orElse(false));
        }

        @Override
        public void close() {
            agent.close();
            server.close();
        }
    }

    @Test
    void mutualTlsSeedWithTheRepeatedKeyFlag() throws Exception {
        TestCertificates fleetCa = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates agentCa = fleetCa.otherCa("agents");
        TestCertificates.Issued fleetCert = fleetCa.server("localhost");
        TestCertificates.Issued agentCert = agentCa.client("agent-1");
        put(fleetCa.caCertificate(), "path/to/fleet-ca");
        put(agentCa.caCertificate(), "path/to/agent-ca");
        put(agentCert.certificate(), "path/to/agent-cert");
        put(agentCert.encryptedKey("agent-pass"), "path/to/agent-cert-key");
        write("path/to/agent-cert-key-passphrase", "agent-pass");
        put(fleetCa.caCertificate(), "path/to/es-ca");
        put(fleetCert.certificate(), "path/to/fleet-es-cert");
        put(fleetCert.key(), "path/to/fleet-es-cert-key");
        put(fleetCert.certificate(), "path/to/fleet-cert");
        put(fleetCert.key(), "path/to/fleet-cert-key");
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));

        CliRun install = CliRun.of(Seeds.localize(Seeds.MUTUAL, root, port, null, paths.base().toString()));
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.err()).contains("--elastic-agent-cert-key given twice; reading the second value");
        assertThat(install.out()).contains("Successfully enrolled").contains("policy FLEET-SERVER-POLICY-ID");

        try (Run run = new Run(paths)) {
            run.awaitPolicyAcked();
            String token = run.token("FLEET-SERVER-POLICY-ID");
            CliRun noCert = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a2"), "--url=https://localhost:" + port,
                    "--enrollment-token=" + token, "--certificate-authorities=" + fleetCa.caCertificate());
            assertOneLine(noCert);
            assertThat(noCert.errorLine()).contains("requires a client certificate").contains("--elastic-agent-cert");

            TestCertificates.Issued strangerCert = fleetCa.otherCa("strangers").client("stranger");
            CliRun wrongCert = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a3"), "--url=https://localhost:" + port,
                    "--enrollment-token=" + token, "--certificate-authorities=" + fleetCa.caCertificate(),
                    "--elastic-agent-cert=" + strangerCert.certificate(), "--elastic-agent-cert-key=" + strangerCert.key());
            assertOneLine(wrongCert);
            assertThat(wrongCert.errorLine()).contains(strangerCert.certificate().toString())
                    .contains("use an --elastic-agent-cert issued by a CA in Fleet Server's --certificate-authorities");

            TestCertificates.Issued second = agentCa.client("agent-2");
            CliRun ok = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a4"), "--url=https://localhost:" + port,
                    "--enrollment-token=" + token, "--certificate-authorities=" + fleetCa.caCertificate(),
                    "--elastic-agent-cert=" + second.certificate(), "--elastic-agent-cert-key=" + second.key());
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(run.server.server().store().listAgents()).hasSize(2);
        }
    }

    @Test
    void fleetServerSeedWithAgentCertificateAndPassphraseFile() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued fleetCert = pki.server("localhost");
        put(pki.caCertificate(), "path/to/ca.crt");
        put(pki.caCertificate(), "path/to/elasticsearch-ca.crt");
        put(fleetCert.certificate(), "path/to/fleet-server.crt");
        put(fleetCert.key(), "path/to/fleet-server.key");
        put(fleetCert.certificate(), "tmp/fleet-server.crt");
        put(fleetCert.encryptedKey("fleet-pass"), "tmp/fleet-server.key");
        write("tmp/fleet-server/passphrase-file", "fleet-pass");
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));

        CliRun install = CliRun.of(Seeds.localize(Seeds.FLEET_SERVER_TLS, root, port, null, paths.base().toString()));
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.out()).contains("policy fleet-server-policy")
                .contains("start the agent with: flotilla agent run --base-path " + paths.base());
        try (Run run = new Run(paths)) {
            run.awaitPolicyAcked();
        }
        CliRun status = CliRun.of("agent", "status", "--base-path=" + paths.base());
        assertThat(status.out()).contains("runs inside this agent on port " + port).contains("revision 1");
    }

    @Test
    void oneWayTlsSeedThenAnAgentOfTheAgentSeed() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued fleetCert = pki.server("localhost");
        put(pki.caCertificate(), "path/to/fleet-ca");
        put(pki.caCertificate(), "path/to/es-ca");
        put(fleetCert.certificate(), "path/to/fleet-cert");
        put(fleetCert.key(), "path/to/fleet-cert-key");
        put(pki.caCertificate(), "path/to/ca.crt");
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));

        CliRun install = CliRun.of(Seeds.localize(Seeds.ONE_WAY, root, port, null, paths.base().toString()));
        assertThat(install.exit()).as(install.err()).isZero();
        try (Run run = new Run(paths)) {
            run.awaitPolicyAcked();
            CliRun agent = CliRun.of(Seeds.localize(Seeds.AGENT_TLS, root, port, run.token("FLEET-SERVER-POLICY-ID"),
                    root.resolve("agent").toString()));
            assertThat(agent.exit()).as(agent.err()).isZero();
            assertThat(agent.out()).contains("Successfully enrolled");
        }
    }

    @Test
    void delayedEnrollmentIntoTheBootstrapHappensOnFirstRun() throws Exception {
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));
        CliRun install = CliRun.of("agent", "install", "--url=https://localhost:" + port, "--fleet-server-policy=fsp",
                "--fleet-server-port=" + port, "--delay-enroll", "--base-path=" + paths.base());
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(paths.stateStore().load().orElseThrow().isEnrolled()).isFalse();
        try (Run run = new Run(paths)) {
            run.awaitPolicyAcked();
            assertThat(paths.stateStore().load().orElseThrow().isEnrolled()).isTrue();
        }
    }

    @Test
    void selfSignedWhenNoCertificateIsGivenWithAndWithoutInsecure() throws Exception {
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));
        CliRun install = CliRun.of("agent", "install", "--url=https://localhost:" + port,
                "--fleet-server-es=https://127.0.0.1:9", "--fleet-server-service-token=token",
                "--fleet-server-policy=fleet-server-policy", "--fleet-server-port=" + port, "--base-path=" + paths.base());
        assertThat(install.exit()).as(install.err()).isZero();
        Path generatedCa = paths.fleetServerDir().resolve("ca.crt");
        assertThat(install.err()).contains("self-signed").contains(generatedCa.toString());
        try (Run run = new Run(paths)) {
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
}
