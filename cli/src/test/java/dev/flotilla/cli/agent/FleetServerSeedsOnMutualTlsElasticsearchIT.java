package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.testing.es.ClusterCertificates;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import dev.flotilla.testing.es.ElasticsearchNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.flotilla.cli.agent.AgentEndToEndTest.assertOneLine;
import static dev.flotilla.cli.agent.AgentEndToEndTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' Fleet Server installs that present a client certificate to Elasticsearch ({@code --fleet-server-es-cert}
 * / {@code --fleet-server-es-cert-key}), against a real cluster with
 * {@code xpack.security.http.ssl.client_authentication: required}. One CA signs the cluster's, Fleet Server's and
 * the clients' certificates, as in the seed where one certificate serves as the agent's and the Elasticsearch client
 * certificate.
 */
@Timeout(600)
class FleetServerSeedsOnMutualTlsElasticsearchIT {
    @TempDir
    static Path shared;

    static TestCertificates pki;
    static ElasticsearchNode es;

    @TempDir
    Path root;

    @BeforeAll
    static void startCluster() throws Exception {
        pki = TestCertificates.rsa(Files.createDirectories(shared.resolve("pki")));
        TestCertificates.Issued node = pki.server("localhost");
        TestCertificates.Issued client = pki.client("fleet-server");
        es = ElasticsearchLauncher.builder().clientAuthentication("required")
                .certificates(new ClusterCertificates(pki.caCertificate(), pki.caKey(), node.chain(), node.key(),
                        client.certificate(), client.key()))
                .start();
    }

    @AfterAll
    static void stopCluster() {
        if (es != null) {
            es.close();
        }
    }

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

    /** Fleet Server's own certificate (localhost), signed by the cluster's CA; each test its own file names. */
    private static TestCertificates.Issued fleetServerCertificate(String name) {
        return pki.server(name, List.of("localhost"), List.of("127.0.0.1"));
    }

    private List<String> seed(String seed, int port, Path base) {
        return EsSeeds.localize(seed, root, port, base.toString(), es.uri().toString(), es.serviceToken());
    }

    /** 000: the Elasticsearch client key is the agent's encrypted key; its passphrase file applies to both. */
    @Test
    void fleetServerTlsSeedWithEncryptedClientKeyAndPassphraseFile() throws Exception {
        TestCertificates.Issued fleetCert = fleetServerCertificate("fleet-server-tls");
        TestCertificates.Issued clientCert = pki.client("fleet-server-agent");
        put(pki.caCertificate(), "path/to/ca.crt");
        put(pki.caCertificate(), "path/to/elasticsearch-ca.crt");
        put(fleetCert.certificate(), "path/to/fleet-server.crt");
        put(fleetCert.key(), "path/to/fleet-server.key");
        put(clientCert.certificate(), "tmp/fleet-server.crt");
        put(clientCert.encryptedKey("fleet-pass"), "tmp/fleet-server.key");
        write("tmp/fleet-server/passphrase-file", "fleet-pass");
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));

        CliRun install = EsSeeds.run(seed(Seeds.FLEET_SERVER_TLS, port, paths.base()));
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.out()).contains("policy fleet-server-policy")
                .contains("start the agent with: flotilla agent run --base-path " + paths.base());
        try (BootstrapRun run = new BootstrapRun(paths)) {
            run.awaitPolicyAcked();
            assertThat(run.server.server().store().describe()).containsIgnoringCase("elasticsearch");
        }
        CliRun status = CliRun.of("agent", "status", "--base-path=" + paths.base());
        assertThat(status.out()).contains("runs inside this agent on port " + port).contains("revision 1");
    }

    /** 001 mutual TLS: with the CA file, then with the CA fingerprint; agents need their client certificates. */
    @Test
    void mutualSeedWithCaThenWithFingerprintAndAgentsWithClientCertificates() throws Exception {
        TestCertificates agentCa = pki.otherCa("agents");
        TestCertificates.Issued fleetCert = fleetServerCertificate("fleet-server-mutual");
        TestCertificates.Issued esClient = pki.client("fleet-es-client");
        TestCertificates.Issued agentCert = agentCa.client("agent-1");
        put(pki.caCertificate(), "path/to/fleet-ca");
        put(agentCa.caCertificate(), "path/to/agent-ca");
        put(agentCert.certificate(), "path/to/agent-cert");
        put(agentCert.encryptedKey("agent-pass"), "path/to/agent-cert-key");
        write("path/to/agent-cert-key-passphrase", "agent-pass");
        put(pki.caCertificate(), "path/to/es-ca");
        put(esClient.certificate(), "path/to/fleet-es-cert");
        put(esClient.key(), "path/to/fleet-es-cert-key");
        put(fleetCert.certificate(), "path/to/fleet-cert");
        put(fleetCert.key(), "path/to/fleet-cert-key");
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));

        CliRun install = EsSeeds.run(seed(Seeds.MUTUAL, port, paths.base()));
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.err()).contains("--elastic-agent-cert-key given twice; reading the second value");
        assertThat(install.out()).contains("Successfully enrolled").contains("policy FLEET-SERVER-POLICY-ID");

        try (BootstrapRun run = new BootstrapRun(paths)) {
            run.awaitPolicyAcked();
            String token = run.token("FLEET-SERVER-POLICY-ID");
            CliRun noCert = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a2"),
                    "--url=https://localhost:" + port, "--enrollment-token=" + token,
                    "--certificate-authorities=" + pki.caCertificate());
            assertOneLine(noCert);
            assertThat(noCert.errorLine()).contains("requires a client certificate").contains("--elastic-agent-cert");

            TestCertificates.Issued second = agentCa.client("agent-2");
            CliRun ok = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a4"),
                    "--url=https://localhost:" + port, "--enrollment-token=" + token,
                    "--certificate-authorities=" + pki.caCertificate(),
                    "--elastic-agent-cert=" + second.certificate(), "--elastic-agent-cert-key=" + second.key());
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(run.server.server().store().listAgents()).hasSizeGreaterThanOrEqualTo(2);
        }

        int port2 = freePort();
        AgentPaths fingerprinted = new AgentPaths(root.resolve("fleet-agent-2"));
        List<String> args = EsSeeds.plus(EsSeeds.without(seed(Seeds.MUTUAL, port2, fingerprinted.base()),
                "--fleet-server-es-ca"), "--fleet-server-es-ca-trusted-fingerprint=" + pki.caFingerprint());
        CliRun withFingerprint = EsSeeds.run(args);
        assertThat(withFingerprint.exit()).as(withFingerprint.err()).isZero();
        try (BootstrapRun run = new BootstrapRun(fingerprinted)) {
            run.awaitPolicyAcked();
        }
    }

    @Test
    void withoutTheClientCertificateTheClusterRefusesFleetServerInOneLine() throws Exception {
        TestCertificates.Issued fleetCert = fleetServerCertificate("fleet-server-one-way");
        put(pki.caCertificate(), "path/to/fleet-ca");
        put(pki.caCertificate(), "path/to/es-ca");
        put(fleetCert.certificate(), "path/to/fleet-cert");
        put(fleetCert.key(), "path/to/fleet-cert-key");
        Path base = root.resolve("fleet-agent");

        CliRun missing = EsSeeds.run(seed(Seeds.ONE_WAY, freePort(), base));
        assertOneLine(missing);
        assertThat(missing.errorLine()).contains("client certificate").contains("--fleet-server-es-cert");
        assertThat(base.resolve("data/state.enc")).doesNotExist();
    }
}
