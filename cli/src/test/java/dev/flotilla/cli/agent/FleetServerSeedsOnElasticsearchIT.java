package dev.flotilla.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.testing.es.ElasticsearchExtension;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static dev.flotilla.cli.agent.AgentEndToEndTest.assertOneLine;
import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static dev.flotilla.cli.agent.AgentEndToEndTest.fast;
import static dev.flotilla.cli.agent.AgentEndToEndTest.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' one-way TLS Fleet Server install ({@code --fleet-server-es-ca}) against a real cluster: the agent's
 * Fleet Server keeps its state in Elasticsearch, connects with the CA file and with the CA fingerprint instead, and
 * refuses a wrong CA, a wrong fingerprint and a bad service token with one line; an agent enrolled through it ships
 * log lines that a search finds.
 */
@Timeout(600)
class FleetServerSeedsOnElasticsearchIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder()
            .user("shipper", "shipper-password", ElasticsearchLauncher.OUTPUT_WRITER_ROLE)
            .user("admin", "admin-password", "superuser"));

    @TempDir
    Path root;

    private TestCertificates fleetPki() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued fleetCert = pki.server("localhost");
        put(pki.caCertificate(), "path/to/fleet-ca");
        put(pki.caCertificate(), "path/to/ca.crt");
        put(fleetCert.certificate(), "path/to/fleet-cert");
        put(fleetCert.key(), "path/to/fleet-cert-key");
        put(ES.node().certificates().caCertificate(), "path/to/es-ca");
        return pki;
    }

    private Path put(Path from, String rel) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.copy(from, p);
        return p;
    }

    private List<String> oneWaySeed(int port, Path base) {
        return EsSeeds.localize(Seeds.ONE_WAY, root, port, base.toString(), ES.node().uri().toString(),
                ES.node().serviceToken());
    }

    @Test
    void oneWaySeedRunsFleetServerOnElasticsearchAndAnAgentShipsThroughIt() throws Exception {
        fleetPki();
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));
        CliRun install = EsSeeds.run(oneWaySeed(port, paths.base()));
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.out()).contains("policy FLEET-SERVER-POLICY-ID");

        try (BootstrapRun run = new BootstrapRun(paths)) {
            run.awaitPolicyAcked();
            assertThat(run.server.server().store().describe()).containsIgnoringCase("elasticsearch");
            String agentId = run.agent.state().enrollment().agentId();
            assertThat(found(".fleet-agents", agentId)).as("the bootstrap agent is a document in the cluster").isTrue();

            ObjectNode policy = policy(run);
            JsonNode output = policy.path("outputs").path("default");
            assertThat(output.path("hosts").get(0).asText()).isEqualTo(ES.node().uri().toString());
            assertThat(output.path("ssl").path("certificate_authorities").get(0).asText())
                    .isEqualTo(Files.readString(ES.node().certificates().caCertificate()).strip());

            String marker = UUID.randomUUID().toString().replace("-", "");
            Path log = Files.writeString(root.resolve("app.log"), "first " + marker + "\n");
            ((ObjectNode) policy.path("outputs").path("default")).put("username", "shipper").put("password", "shipper-password");
            ObjectNode input = policy.putArray("inputs").addObject().put("id", "app").put("type", "logfile")
                    .put("use_output", "default");
            input.putArray("streams").addObject().putArray("paths").add(log.toString());
            ((ObjectNode) input.path("streams").get(0)).putObject("data_stream").put("dataset", "seedapp");
            run.server.server().policies().put("FLEET-SERVER-POLICY-ID", policy);

            AgentPaths agentPaths = new AgentPaths(root.resolve("agent"));
            CliRun agent = CliRun.of(Seeds.localize(Seeds.AGENT_TLS, root, port, run.token("FLEET-SERVER-POLICY-ID"),
                    agentPaths.base().toString()));
            assertThat(agent.exit()).as(agent.err()).isZero();
            try (Agent shipper = Agent.start(agentPaths, fast())) {
                String query = "message:" + marker + " AND agent.id:\"" + shipper.state().enrollment().agentId() + "\"";
                await("the log line is found in logs-seedapp-default", () -> hits("logs-seedapp-default", query) == 1);
                Files.writeString(log, "second " + marker + "\n", StandardOpenOption.APPEND);
                await("the appended line is found too", () -> hits("logs-seedapp-default", query) == 2);
                assertThat(hits("logs-seedapp-default", "message:" + marker + "x")).isZero();
            }
        }
    }

    @Test
    void caFingerprintInsteadOfTheCaFile() throws Exception {
        fleetPki();
        int port = freePort();
        AgentPaths paths = new AgentPaths(root.resolve("fleet-agent"));
        String fingerprint = ES.node().certificates().caFingerprint();
        List<String> args = EsSeeds.plus(EsSeeds.without(EsSeeds.with(oneWaySeed(port, paths.base()),
                "--fleet-server-policy", "fingerprint-policy"), "--fleet-server-es-ca"),
                "--fleet-server-es-ca-trusted-fingerprint=" + fingerprint);
        CliRun install = EsSeeds.run(args);
        assertThat(install.exit()).as(install.err()).isZero();
        try (BootstrapRun run = new BootstrapRun(paths)) {
            run.awaitPolicyAcked();
            JsonNode ssl = policy(run, "fingerprint-policy").path("outputs").path("default").path("ssl");
            assertThat(ssl.path("ca_trusted_fingerprint").asText()).isEqualTo(fingerprint);
            assertThat(ssl.has("certificate_authorities")).isFalse();
        }
    }

    @Test
    void wrongCaWrongFingerprintAndBadServiceTokenEachFailWithOneLine() throws Exception {
        TestCertificates pki = fleetPki();
        int port = freePort();
        Path base = root.resolve("fleet-agent");
        Path otherCa = pki.caCertificate();

        CliRun wrongCa = EsSeeds.run(EsSeeds.with(oneWaySeed(port, base), "--fleet-server-es-ca", otherCa.toString()));
        assertOneLine(wrongCa);
        assertThat(wrongCa.errorLine()).contains("--fleet-server-es-ca").contains(ES.node().uri().getHost());

        CliRun wrongFingerprint = EsSeeds.run(EsSeeds.plus(EsSeeds.without(oneWaySeed(port, base), "--fleet-server-es-ca"),
                "--fleet-server-es-ca-trusted-fingerprint=" + pki.caFingerprint()));
        assertOneLine(wrongFingerprint);
        assertThat(wrongFingerprint.errorLine()).contains("--fleet-server-es-ca-trusted-fingerprint");

        CliRun badToken = EsSeeds.run(EsSeeds.with(oneWaySeed(port, base), "--fleet-server-service-token",
                "AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL25vcGU6bm9wZQ"));
        assertOneLine(badToken);
        assertThat(badToken.errorLine()).contains("service token");

        assertThat(base.resolve("data/state.enc")).doesNotExist();
    }

    @Test
    void flotillaServerRunsOnTheClusterWithTheEsFlags() throws Exception {
        Path token = Files.writeString(root.resolve("service-token"), ES.node().serviceToken() + "\n");
        Path data = root.resolve("server");
        CliRun bad = CliRun.of("server", "--fleet-server-port=0", "--no-management", "--data-dir=" + data,
                "--fleet-server-es=" + ES.node().uri(), "--fleet-server-service-token=AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL25vcGU6bm9wZQ",
                "--fleet-server-es-ca=" + ES.node().certificates().caCertificate());
        assertOneLine(bad);
        assertThat(bad.errorLine()).contains("service token");

        dev.flotilla.cli.server.ServerCommand command = new dev.flotilla.cli.server.ServerCommand();
        new picocli.CommandLine(command).parseArgs("--fleet-server-port=0", "--no-management", "--data-dir=" + data,
                "--fleet-server-es=" + ES.node().uri(), "--fleet-server-service-token-path=" + token,
                "--fleet-server-es-ca-trusted-fingerprint=" + ES.node().certificates().caFingerprint());
        try {
            var server = command.startServer();
            assertThat(server.store().describe()).containsIgnoringCase("elasticsearch");
            server.policies().put("from-the-cli", dev.flotilla.server.policy.Policies.starter(
                    List.of(server.url().toString()), ES.node().uri().toString()));
            assertThat(found(".fleet-policies", "from-the-cli:1")).as("the policy is a document in the cluster").isTrue();
            assertThat(data.resolve("fleet.db")).doesNotExist();
        } finally {
            command.stop();
        }
    }

    private static ObjectNode policy(BootstrapRun run) throws Exception {
        return policy(run, "FLEET-SERVER-POLICY-ID");
    }

    private static ObjectNode policy(BootstrapRun run, String id) throws Exception {
        return (ObjectNode) JSON.readTree(run.server.server().policies().latest(id).orElseThrow().data());
    }

    private static boolean found(String index, String id) {
        HttpResponse<String> r = ES.node().send(HttpRequest.newBuilder(ES.node().uri()
                .resolve("/" + index + "/_doc/" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "admin:admin-password".getBytes(StandardCharsets.UTF_8))));
        assertThat(r.statusCode()).as(r.body()).isIn(200, 404);
        return r.statusCode() == 200;
    }

    private static int hits(String index, String query) {
        return search(index, query).path("hits").path("total").path("value").asInt();
    }

    private static JsonNode search(String index, String query) {
        String basic = Base64.getEncoder().encodeToString("admin:admin-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = ES.node().send(HttpRequest.newBuilder(ES.node().uri()
                        .resolve("/" + index + "/_search?q=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .header("Authorization", "Basic " + basic));
        try {
            if (r.statusCode() == 404 || r.statusCode() == 503 && r.body().contains("no_shard_available")) {
                return JSON.readTree("{}"); // not created yet, or its shard is still starting: nothing to find yet
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
