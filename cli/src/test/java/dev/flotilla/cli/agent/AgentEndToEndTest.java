package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentOptions;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' agent command lines, run as written (program name changed, example hosts and paths localized), against
 * real Fleet Servers over real TLS.
 */
@Timeout(300)
class AgentEndToEndTest {
    @TempDir
    Path root;

    static int freePort() throws Exception {
        return dev.flotilla.testing.FreePorts.outsideEphemeralRange();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 60s: " + what);
            }
            Thread.sleep(100);
        }
    }

    static AgentOptions fast() {
        return AgentOptions.defaults().withPollTimeout(Duration.ofSeconds(65)).withMonitorInterval(Duration.ofSeconds(1))
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    private Path file(String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private Path copy(Path from, String rel) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.copy(from, p);
        return p;
    }

    private Map<String, Object> policy(BulkRecorder es, Path esCa, Path logfile) {
        Map<String, Object> output = Map.of("type", "elasticsearch", "hosts", List.of(es.url()),
                "ssl", Map.of("certificate_authorities", List.of(esCa.toString())));
        Map<String, Object> stream = Map.of("paths", List.of(logfile.toString()), "data_stream", Map.of("dataset", "app"));
        Map<String, Object> input = Map.of("id", "logs-1", "type", "logfile", "use_output", "default",
                "data_stream", Map.of("namespace", "default"), "streams", List.of(stream));
        return Map.of("outputs", Map.of("default", output),
                "agent", Map.of("monitoring", Map.of("enabled", true, "use_output", "default")),
                "inputs", List.of(input));
    }

    /** 000 seed, agent side: one-way TLS with --certificate-authorities; the agent runs, applies the policy, ships. */
    @Test
    void oneWayTlsSeedEnrollsRunsAndShipsLogLines() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued fleetCert = pki.server("localhost");
        copy(pki.caCertificate(), "path/to/ca.crt");
        Path log = file("logs/app.log", "hello from the seed\n");
        try (BulkRecorder es = new BulkRecorder(fleetCert.credential());
             TestFleetServer fleet = TestFleetServer.https(root, Map.of("certificate", fleetCert.certificate().toString(),
                     "key", fleetCert.key().toString()), policy(es, pki.caCertificate(), log))) {
            String base = root.resolve("agent").toString();
            CliRun r = CliRun.of(Seeds.localize(Seeds.AGENT_TLS, root, fleet.port(), fleet.token, base));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("Successfully enrolled").contains("flotilla agent run --base-path " + base);
            AgentPaths paths = new AgentPaths(Path.of(base));
            try (Agent agent = Agent.start(paths, fast())) {
                String id = agent.state().enrollment().agentId();
                await("policy acked", () -> fleet.agent(id).policyRevision() >= 1);
                await("log line shipped", () -> es.has("hello from the seed"));
                Files.writeString(log, "second line\n", StandardOpenOption.APPEND);
                await("appended line shipped", () -> es.has("second line"));
                await("self-monitoring shipped", () -> es.has("elastic_agent.flotilla"));
                CliRun status = CliRun.of("agent", "status", "--base-path=" + base);
                assertThat(status.out()).contains("agent id " + id).contains("revision 1").doesNotContain("last check-in: never");
            }
            assertThat(es.documents.stream().filter(d -> d.contains("hello from the seed")).count()).isEqualTo(1);
            String id = paths.stateStore().load().orElseThrow().enrollment().agentId();
            CliRun uninstall = CliRun.of("agent", "uninstall", "--base-path=" + base, "--non-interactive");
            assertThat(uninstall.exit()).as(uninstall.err()).isZero();
            assertThat(uninstall.out()).contains("was uninstalled").contains("Removed " + base);
            assertThat(fleet.agent(id).auditUnenrollReason()).isEqualTo("uninstall");
            assertThat(Path.of(base)).doesNotExist();
        }
    }

    /** Inputs and monitoring on different outputs: each output gets its own queue and its own TLS settings. */
    @Test
    void eachOutputShipsItsOwnEvents() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued fleetCert = pki.server("localhost");
        Path log = file("logs/app.log", "a line for the logs output\n");
        try (BulkRecorder logs = new BulkRecorder(fleetCert.credential());
             BulkRecorder metrics = new BulkRecorder(pki.server("es-monitoring").credential())) {
            Map<String, Object> policy = Map.of(
                    "outputs", Map.of(
                            "default", Map.of("type", "elasticsearch", "hosts", List.of(logs.url()),
                                    "ssl", Map.of("certificate_authorities", List.of(pki.caCertificate().toString()))),
                            "monitoring", Map.of("type", "elasticsearch", "hosts", List.of(metrics.url()),
                                    "ssl.ca_trusted_fingerprint", pki.caFingerprint())),
                    "agent", Map.of("monitoring", Map.of("enabled", true, "use_output", "monitoring")),
                    "inputs", List.of(Map.of("type", "logfile", "use_output", "default",
                            "streams", List.of(Map.of("paths", List.of(log.toString()))))));
            try (TestFleetServer fleet = TestFleetServer.https(root, Map.of("certificate", fleetCert.certificate().toString(),
                    "key", fleetCert.key().toString()), policy)) {
                AgentPaths paths = new AgentPaths(root.resolve("agent"));
                CliRun r = CliRun.of("agent", "enroll", "--base-path=" + paths.base(), "--url=https://localhost:" + fleet.port(),
                        "--enrollment-token=" + fleet.token, "--certificate-authorities=" + pki.caCertificate());
                assertThat(r.exit()).as(r.err()).isZero();
                try (Agent agent = Agent.start(paths, fast())) {
                    await("log line on the logs output", () -> logs.has("a line for the logs output"));
                    await("metrics on the monitoring output", () -> metrics.has("elastic_agent.flotilla"));
                }
                assertThat(logs.documents).noneMatch(d -> d.contains("elastic_agent.flotilla"));
                assertThat(metrics.documents).noneMatch(d -> d.contains("a line for the logs output"));
                assertThat(paths.queueDir().resolve("default")).isDirectory();
                assertThat(paths.queueDir().resolve("monitoring")).isDirectory();
            }
        }
    }

    /** Wrong CA, wrong token, http/https mix-ups, unreachable: one line each, naming the fix. */
    @Test
    void enrollmentFailuresAreOneActionableLine() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates other = pki.otherCa("other");
        TestCertificates.Issued fleetCert = pki.server("localhost");
        Path log = file("logs/app.log", "");
        try (BulkRecorder es = new BulkRecorder(fleetCert.credential());
             TestFleetServer fleet = TestFleetServer.https(root, Map.of("certificate", fleetCert.certificate().toString(),
                     "key", fleetCert.key().toString()), policy(es, pki.caCertificate(), log));
             TestFleetServer plain = TestFleetServer.plain(root.resolve("plain"), policy(es, pki.caCertificate(), log))) {
            String base = "--base-path=" + root.resolve("agent");
            String url = "--url=https://localhost:" + fleet.port();

            CliRun wrongCa = CliRun.of("agent", "enroll", base, url, "--enrollment-token=" + fleet.token,
                    "--certificate-authorities=" + other.caCertificate());
            assertOneLine(wrongCa);
            assertThat(wrongCa.errorLine()).contains("localhost:" + fleet.port()).contains(other.caCertificate().toString())
                    .contains("Fix: pass the CA that signed Fleet Server's certificate with --certificate-authorities");

            CliRun wrongToken = CliRun.of("agent", "enroll", base, url, "--enrollment-token=bm9wZTpub3Bl",
                    "--certificate-authorities=" + pki.caCertificate());
            assertOneLine(wrongToken);
            assertThat(wrongToken.errorLine()).contains("enrollment token was rejected").contains("--enrollment-token");

            CliRun httpToTls = CliRun.of("agent", "enroll", base, "--url=http://localhost:" + fleet.port(), "--insecure",
                    "--enrollment-token=" + fleet.token);
            assertOneLine(httpToTls);
            assertThat(httpToTls.errorLine()).contains("speaks HTTPS").contains("--url=https://localhost:" + fleet.port());

            CliRun tlsToHttp = CliRun.of("agent", "enroll", base, "--url=https://localhost:" + plain.port(),
                    "--enrollment-token=" + plain.token, "--certificate-authorities=" + pki.caCertificate());
            assertOneLine(tlsToHttp);
            assertThat(tlsToHttp.errorLine()).contains("speaks plain HTTP").contains("--url=http://localhost:" + plain.port());

            CliRun wrongPin = CliRun.of("agent", "enroll", base, url, "--enrollment-token=" + fleet.token,
                    "--certificate-authorities=" + pki.caCertificate(),
                    "--ca-sha256=" + dev.flotilla.pki.Fingerprints.spkiSha256Base64(other.ca().certificate()));
            assertOneLine(wrongPin);
            assertThat(wrongPin.errorLine()).contains("--ca-sha256");

            int closed = freePort();
            CliRun unreachable = CliRun.of("agent", "enroll", base, "--url=https://localhost:" + closed,
                    "--enrollment-token=" + fleet.token, "--certificate-authorities=" + pki.caCertificate());
            assertOneLine(unreachable);
            assertThat(unreachable.errorLine()).contains("connection refused").contains("check --url");

            assertThat(root.resolve("agent/data/state.enc")).doesNotExist();
            CliRun ok = CliRun.of("agent", "enroll", base, url, "--enrollment-token=" + fleet.token,
                    "--certificate-authorities=" + pki.caCertificate(), "--id=web-01", "--replace-token=keep-me-secret",
                    "--tag=web", "--tag=eu,prod",
                    "--ca-sha256=" + dev.flotilla.pki.Fingerprints.spkiSha256Base64(pki.ca().certificate()));
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(fleet.agentCount()).isEqualTo(1);
            assertThat(fleet.agent("web-01").tags()).containsExactlyInAnyOrder("web", "eu", "prod");

            CliRun again = CliRun.of("agent", "enroll", base, url, "--enrollment-token=" + fleet.token,
                    "--certificate-authorities=" + pki.caCertificate(), "--id=web-01", "--replace-token=keep-me-secret");
            assertThat(again.errorLine()).contains("already enrolled as agent web-01").contains("--force");

            CliRun wrongReplace = CliRun.of("agent", "enroll", base, url, "--enrollment-token=" + fleet.token,
                    "--certificate-authorities=" + pki.caCertificate(), "--id=web-01", "--replace-token=guess", "--force");
            assertOneLine(wrongReplace);
            assertThat(wrongReplace.errorLine()).contains("pass that agent's --replace-token");

            CliRun replaced = CliRun.of("agent", "enroll", base, url, "--enrollment-token=" + fleet.token,
                    "--certificate-authorities=" + pki.caCertificate(), "--id=web-01", "--replace-token=keep-me-secret", "--force");
            assertThat(replaced.exit()).as(replaced.err()).isZero();
            assertThat(fleet.agentCount()).isEqualTo(1);
        }
    }

    /** --proxy-url: enrollment and check-ins go through an HTTP CONNECT proxy; --proxy-disabled bypasses it. */
    @Test
    void proxyUrlTunnelsToFleetServer() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        TestCertificates.Issued fleetCert = pki.server("localhost");
        try (ConnectProxy proxy = new ConnectProxy();
             TestFleetServer fleet = TestFleetServer.https(root, Map.of("certificate", fleetCert.certificate().toString(),
                     "key", fleetCert.key().toString()), Map.of("agent", Map.of("monitoring", Map.of("enabled", false))))) {
            String url = "--url=https://localhost:" + fleet.port();
            CliRun conflicting = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a0"), url,
                    "--enrollment-token=" + fleet.token, "--proxy-url=http://127.0.0.1:" + proxy.port(), "--proxy-disabled");
            assertThat(conflicting.errorLine()).contains("contradict");
            CliRun viaProxy = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a1"), url,
                    "--enrollment-token=" + fleet.token, "--certificate-authorities=" + pki.caCertificate(),
                    "--proxy-url=http://127.0.0.1:" + proxy.port());
            assertThat(viaProxy.exit()).as(viaProxy.err()).isZero();
            assertThat(proxy.targets).containsExactly("localhost:" + fleet.port());
            try (Agent agent = Agent.start(new AgentPaths(root.resolve("a1")), fast())) {
                String id = agent.state().enrollment().agentId();
                await("check-in through the proxy", () -> fleet.agent(id).policyRevision() >= 1);
            }
            assertThat(proxy.targets.size()).isGreaterThan(1);
            int before = proxy.targets.size();
            CliRun direct = CliRun.of("agent", "enroll", "--base-path=" + root.resolve("a2"), url,
                    "--enrollment-token=" + fleet.token, "--certificate-authorities=" + pki.caCertificate(), "--proxy-disabled");
            assertThat(direct.exit()).as(direct.err()).isZero();
            assertThat(proxy.targets).hasSize(before);
        }
    }

    static void assertOneLine(CliRun r) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> !l.isBlank()).toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ").doesNotStartWith("error: java.").doesNotContain("Exception:\n");
        System.out.println("[one-line error] " + r.errorLine());
    }
}
