package dev.flotilla.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentOptions;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.cli.Flotilla;
import dev.flotilla.cli.fleet.ManagementClient;
import dev.flotilla.eslocal.internal.NodeProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flotilla quickstart --with-elasticsearch}, the seeds' whole picture from one command, on a real cluster:
 * the Fleet Server keeps its state in it, an enrolled agent ships its events to it as the least-privilege output
 * user over TLS verified by the quickstart CA's fingerprint, a search finds them; stopping leaves no Elasticsearch
 * running, and the next run (the real {@code ./flotilla} launcher, stopped by SIGTERM) reuses the node, its token,
 * its users and the Fleet state, and leaves nothing running either.
 */
@Timeout(900)
class QuickstartWithElasticsearchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path temp;

    @Test
    void oneCommandRunsFleetServerOnElasticsearchAndAgentsShipToItAndTheNextRunReusesIt() throws Exception {
        // Elasticsearch runs as uid 65534 under root: it must be able to enter the test's directory
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = temp.resolve("qs");
        int esPort = dev.flotilla.testing.FreePorts.outsideEphemeralRange();
        String agentId;
        String fingerprint;
        Path esDir;
        Path passwordFile;
        String storeDescription;
        String token;
        String outputPassword;
        String viewerPassword;
        String esUrl;

        StringWriter out = new StringWriter();
        QuickstartCommand first = command(data, esPort, out);
        try (Quickstart.Result result = first.start()) {
            QuickstartElasticsearch es = result.elasticsearch();
            esDir = es.node().directory();
            passwordFile = es.passwordFile();
            fingerprint = result.caFingerprint();
            storeDescription = result.server().store().describe();
            token = result.token();
            outputPassword = Files.readString(passwordFile);
            viewerPassword = Files.readString(es.viewerPasswordFile()).strip();
            esUrl = es.url().toString();
            first.print(result, new PrintWriter(out));
            String printed = out.toString();

            assertThat(esDir).isEqualTo(data.toAbsolutePath().resolve("elasticsearch"));
            assertThat(es.url().toString()).isEqualTo("https://127.0.0.1:" + esPort);
            assertThat(es.caFingerprint()).as("ES certificate signed by the quickstart CA").isEqualTo(fingerprint);
            assertThat(storeDescription).containsIgnoringCase("elasticsearch").contains(Integer.toString(esPort));
            assertThat(printed).contains("Elasticsearch:        " + es.url())
                    .contains("curl --cacert " + result.ca() + " -u flotilla-output:")
                    .contains("curl --cacert " + result.ca() + " -u flotilla-viewer:\"$(cat " + es.viewerPasswordFile()
                            + ")\" '" + es.url() + "/logs-*,metrics-*/_search")
                    .contains("ca_trusted_fingerprint " + fingerprint)
                    .contains("Default output set to " + es.url())
                    .doesNotContain(es.outputPassword())
                    .doesNotContain(es.node().serviceToken(QuickstartElasticsearch.TOKEN_NAME));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");

            // the printed curl line, as a user would run it: verified by the quickstart CA, as the output user
            assertThat(curl(result.ca(), "flotilla-output:" + es.outputPassword(), es.url() + "/_cluster/health"))
                    .contains("\"cluster_name\":\"flotilla-quickstart\"");
            assertThat(curl(result.ca(), "flotilla-output:wrong-password", es.url() + "/_cluster/health"))
                    .contains("401");

            // the default output as the management API shows it: URL, fingerprint, user, password masked
            JsonNode output = defaultOutput(result);
            assertThat(output.path("hosts").get(0).asText()).isEqualTo(es.url().toString());
            assertThat(output.path("ca_trusted_fingerprint").asText()).isEqualTo(fingerprint);
            assertThat(output.path("username").asText()).isEqualTo("flotilla-output");
            assertThat(output.path("password").asText()).isNotEqualTo(es.outputPassword()).isNotEmpty();

            // a real agent: enrolled with the printed command's settings, ships its monitoring to Elasticsearch
            AgentPaths paths = new AgentPaths(temp.resolve("agent"));
            int enrolled = cli(out, "agent", "enroll", "--base-path=" + paths.base(), "--url=" + result.url(),
                    "--enrollment-token=" + result.token(), "--certificate-authorities=" + result.ca());
            assertThat(enrolled).as(out.toString()).isZero();
            try (Agent agent = Agent.start(paths, AgentOptions.defaults().withMonitorInterval(Duration.ofSeconds(1))
                    .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)))) {
                agentId = agent.state().enrollment().agentId();
                assertThat(result.server().store().listAgents()).extracting(a -> a.id()).contains(agentId);
                JsonNode found = await("the agent's events found by a search", () -> search(result.ca(), esUrl,
                        viewerPassword, agentId),
                        n -> n.path("hits").path("total").path("value").asInt() > 0);
                assertThat(found.path("hits").path("hits").get(0).path("_source").path("agent").path("id").asText())
                        .isEqualTo(agentId);
                // the output user writes, but may not read what others wrote
                assertThat(curl(result.ca(), "flotilla-output:" + es.outputPassword(),
                        es.url() + "/metrics-*/_search")).contains("403");
            }
        }
        assertNoElasticsearchRunsIn(esDir);

        // the next run, as a user starts it (./flotilla) and stops it (SIGTERM): it reuses everything
        String tokensBefore = Files.readString(esDir.resolve("home/config/service_tokens"));
        String tokenSecretBefore = Files.readString(esDir.resolve("secrets/service-token-flotilla-quickstart"));
        Path printed = temp.resolve("second-run.out");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("flotilla").toString(), "quickstart", "--data-dir=" + data,
                "--fleet-server-port=0", "--fleet-server-host=127.0.0.1", "--public-host=localhost",
                "--with-elasticsearch", "--elasticsearch-port=" + esPort)
                .directory(temp.toFile()).redirectErrorStream(true).redirectOutput(printed.toFile());
        pb.environment().put("FLOTILLA_NO_BUILD", "1"); // the jar was just packaged by this build
        Process second = pb.start();
        try {
            String ready = await("the second run to be ready", () -> read(printed),
                    o -> o.contains("Press Ctrl-C") || !second.isAlive());
            assertThat(ready).contains("Reusing the CA, certificate, policy and token")
                    .contains("--enrollment-token=" + token + " ").contains("data in " + esDir + ")")
                    .contains("sha256 " + fingerprint).doesNotContain("Default output set to");
            assertThat(Files.readString(esDir.resolve("home/config/service_tokens"))).isEqualTo(tokensBefore);
            assertThat(Files.readString(esDir.resolve("secrets/service-token-flotilla-quickstart")))
                    .isEqualTo(tokenSecretBefore);
            assertThat(Files.readString(passwordFile)).isEqualTo(outputPassword);
            // the Fleet state lives in Elasticsearch: the first run's agent is still there, and so are its events
            JsonNode manifest = JSON.readTree(Files.readString(data.resolve("management.json")));
            ManagementClient management = new ManagementClient(manifest.path("url").asText(),
                    Files.readString(data.resolve("admin.key")).trim(), data.resolve("certs/ca.crt"));
            assertThat(management.get("/api/fleet/agents").toString()).contains(agentId);
            JsonNode kept = await("the first run's events", () -> search(data.resolve("certs/ca.crt"), esUrl,
                    viewerPassword, agentId), n -> n.path("hits").path("total").path("value").asInt() > 0);
            assertThat(kept.path("hits").path("total").path("value").asInt()).isPositive();
        } finally {
            second.destroy(); // SIGTERM
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the quickstart stops on SIGTERM").isTrue();
        }
        assertThat(read(printed)).contains("Elasticsearch stopped");
        assertNoElasticsearchRunsIn(esDir);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static QuickstartCommand command(Path data, int esPort, StringWriter out) {
        CommandLine cl = Flotilla.commandLine();
        cl.setOut(new PrintWriter(out, true));
        CommandLine.ParseResult parsed = cl.parseArgs("quickstart", "--data-dir=" + data, "--fleet-server-port=0",
                "--fleet-server-host=127.0.0.1", "--public-host=localhost", "--with-elasticsearch",
                "--elasticsearch-port=" + esPort);
        return (QuickstartCommand) parsed.subcommand().commandSpec().userObject();
    }

    private static int cli(StringWriter out, String... args) {
        CommandLine cl = Flotilla.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private static JsonNode defaultOutput(Quickstart.Result result) throws Exception {
        String key = Files.readString(result.server().management().adminKeyFile()).trim();
        ManagementClient client = new ManagementClient(result.server().management().url().toString(), key,
                result.ca());
        for (JsonNode o : client.get("/api/fleet/outputs").path("items")) {
            if (o.path("is_default").asBoolean()) {
                return o;
            }
        }
        throw new AssertionError("no default output");
    }

    /** Searches the agent's monitoring events as the quickstart's read-only user. */
    private static JsonNode search(Path ca, String esUrl, String viewerPassword, String agentId) {
        try {
            Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(), "-u",
                    QuickstartElasticsearch.VIEWER_USER + ":" + viewerPassword,
                    esUrl + "/metrics-elastic_agent.flotilla-*/_search?q=agent.id:" + agentId)
                    .redirectErrorStream(true).start();
            String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return JSON.readTree(body.startsWith("{") ? body : "{}");
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** curl's body and HTTP status ("... 200"), TLS verified with {@code ca}. */
    private static String curl(Path ca, String user, String url) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(), "-u", user,
                "-w", " %{http_code}", url).redirectErrorStream(true).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(body).isZero();
        return body;
    }

    private static <T> T await(String what, Supplier<T> probe, java.util.function.Predicate<T> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        T last = probe.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 90 s: " + what + " (last: " + last + ")");
            }
            TimeUnit.MILLISECONDS.sleep(500);
            last = probe.get();
        }
        return last;
    }

    /** No process (Elasticsearch's launcher or its JVM) still has the node's directory on its command line. */
    private static void assertNoElasticsearchRunsIn(Path esDir) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        List<String> left = running(esDir);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            TimeUnit.MILLISECONDS.sleep(200);
            left = running(esDir);
        }
        assertThat(left).as("processes left running in " + esDir).isEmpty();
    }

    private static List<String> running(Path esDir) {
        return NodeProcess.runningFrom(esDir).stream().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
    }

}
