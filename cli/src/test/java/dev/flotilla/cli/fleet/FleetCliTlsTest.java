package dev.flotilla.cli.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.cli.Flotilla;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.management.ManagementSettings;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management API over HTTPS with the Fleet Server's TLS settings: curl and {@code flotilla fleet --ca}. */
class FleetCliTlsTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void noDefaults() {
        ConnectionOptions.environment = Map.of();
        ConnectionOptions.defaultDataDir = dir.resolve("no-default-data-dir");
    }

    @AfterEach
    void env() {
        ConnectionOptions.environment = System.getenv();
    }

    @Test
    void withAgentClientCertificatesRequiredTheAdminStillConnectsWithTheKeyAlone() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir.resolve("pki"));
        TestCertificates.Issued cert = pki.server("localhost");
        Path data = dir.resolve("data");
        try (FleetServer server = FleetServer.start(FleetServerConfig.builder().host("127.0.0.1").port(0)
                .dataDir(data).tls(TlsSettings.builder().source("test").certificate(cert.chain()).key(cert.key())
                        .certificateAuthorities(List.of(pki.caCertificate().toString()))
                        .clientAuthentication(ClientAuthentication.REQUIRED).build())
                .shutdownGrace(Duration.ofSeconds(2)).workerThreads(4).ioThreads(1)
                .management(ManagementSettings.defaults().withAddress("127.0.0.1", 0)).build())) {
            String ca = pki.caCertificate().toString();
            Curl agentSide = curl("--cacert", ca, "https://localhost:" + server.port() + "/api/status");
            assertTrue(agentSide.exit != 0, "the agent API wants a client certificate: " + agentSide.out);
            Run fleet = run("fleet", "agents", "list", "--data-dir=" + data, "--ca=" + ca);
            assertEquals(0, fleet.exit, fleet.err);
            assertTrue(fleet.out.startsWith("ID"), fleet.out);
        }
    }

    @Test
    void aCertificateForLocalhostAloneStillLetsTheCliConnect() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir.resolve("pki"));
        TestCertificates.Issued cert = pki.server("fleet", List.of("localhost"), List.of()); // certutil --dns localhost
        Path data = dir.resolve("data");
        try (FleetServer server = FleetServer.start(FleetServerConfig.builder().host("127.0.0.1").port(0)
                .dataDir(data).tls(TlsSettings.builder().source("test").certificate(cert.chain()).key(cert.key())
                        .build())
                .shutdownGrace(Duration.ofSeconds(2)).workerThreads(4).ioThreads(1)
                .management(ManagementSettings.defaults().withAddress("127.0.0.1", 0)).build())) {
            String urlFile = Files.readString(data.resolve("management.json"));
            assertTrue(urlFile.contains("https://localhost:" + server.management().url().getPort()), urlFile);
            Run fleet = run("fleet", "agents", "list", "--data-dir=" + data, "--ca=" + pki.caCertificate());
            assertEquals(0, fleet.exit, fleet.err);
            assertTrue(fleet.out.startsWith("ID"), fleet.out);
        }
    }

    @Test
    void flotillaServerRunsTheManagementApiUnlessToldNot() throws Exception {
        Path data = dir.resolve("srv");
        dev.flotilla.cli.server.ServerCommand cmd = new dev.flotilla.cli.server.ServerCommand();
        new picocli.CommandLine(cmd).parseArgs("--fleet-server-insecure-http", "--fleet-server-port=0",
                "--data-dir=" + data);
        try (FleetServer server = cmd.startServer()) {
            assertTrue(server.management() != null);
            Run list = run("fleet", "outputs", "list", "--data-dir=" + data);
            assertEquals(0, list.exit, list.err);
            assertTrue(list.out.contains("fleet-default-output"), list.out);
        }
        dev.flotilla.cli.server.ServerCommand off = new dev.flotilla.cli.server.ServerCommand();
        new picocli.CommandLine(off).parseArgs("--fleet-server-insecure-http", "--fleet-server-port=0",
                "--data-dir=" + dir.resolve("srv2"), "--no-management");
        try (FleetServer server = off.startServer()) {
            assertEquals(null, server.management());
            Run none = run("fleet", "outputs", "list", "--data-dir=" + dir.resolve("srv2"));
            assertEquals(1, none.exit);
            assertTrue(none.err.contains("management.json"), none.err);
        }
    }

    @Test
    void managementServesHttpsWithTheServerCertificateAndNeverLogsTheAdminKey() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir.resolve("pki"));
        TestCertificates.Issued cert = pki.server("localhost");
        Path data = dir.resolve("data");
        PrintStream realErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        FleetServer server;
        try {
            server = FleetServer.start(FleetServerConfig.builder().host("127.0.0.1").port(0).dataDir(data)
                    .tls(TlsSettings.builder().source("test").certificate(cert.chain()).key(cert.key())
                            .clientAuthentication(ClientAuthentication.NONE).build())
                    .shutdownGrace(Duration.ofSeconds(2)).workerThreads(4).ioThreads(1)
                    .management(ManagementSettings.defaults().withAddress("127.0.0.1", 0)).build());
        } finally {
            System.setErr(realErr);
        }
        try {
            String key = Files.readString(data.resolve("admin.key")).trim();
            String url = server.management().url().toString();
            assertTrue(url.startsWith("https://127.0.0.1:"), url);

            Curl ok = curl("--cacert", pki.caCertificate().toString(), "-H", "Authorization: ApiKey " + key,
                    url + "/api/fleet/outputs");
            assertEquals(0, ok.exit, ok.err);
            assertTrue(ok.out.contains("fleet-default-output"), ok.out);
            assertEquals(60, curl(url + "/api/fleet/outputs").exit, "untrusted certificate");
            Curl noKey = curl("--cacert", pki.caCertificate().toString(), "-o", "/dev/null", "-w", "%{http_code}",
                    url + "/api/fleet/outputs");
            assertEquals("401", noKey.out.trim());
            Curl plain = curl("-o", "/dev/null", "-w", "%{http_code}", url.replace("https:", "http:")
                    + "/api/fleet/outputs");
            assertFalse(plain.out.trim().equals("200"), "no plain HTTP on the TLS listener");

            String[] withCa = {"fleet", "outputs", "list", "--data-dir=" + data, "--ca=" + pki.caCertificate()};
            Run good = run(withCa);
            assertEquals(0, good.exit, good.err);
            assertTrue(good.out.contains("fleet-default-output"), good.out);
            Run untrusted = run("fleet", "outputs", "list", "--data-dir=" + data);
            assertEquals(1, untrusted.exit);
            assertTrue(untrusted.err.contains("--ca"), untrusted.err);
            // the error names the hop and the certificate it could not trust, as the agent's errors do
            assertTrue(untrusted.err.contains("flotilla fleet -> management API"), untrusted.err);
            assertTrue(untrusted.err.contains("CN=localhost"), untrusted.err);
            assertTrue(untrusted.err.contains(cert.sha256()), untrusted.err);
            Run otherCa = run("fleet", "outputs", "list", "--data-dir=" + data,
                    "--ca=" + pki.otherCa("other").caCertificate());
            assertEquals(1, otherCa.exit);
            assertTrue(otherCa.err.contains(cert.sha256()) && otherCa.err.contains("CN=Other CA other"), otherCa.err);
            assertFalse(logs.toString(StandardCharsets.UTF_8).contains(key), "the admin key is never logged");
            assertTrue(logs.toString(StandardCharsets.UTF_8).contains("admin.key"), "the log says where it is");
        } finally {
            server.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        var cl = Flotilla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    record Curl(int exit, String out, String err) {
    }

    private Curl curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "curl", ".out");
        Path err = Files.createTempFile(dir, "curl", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not finish: " + cmd);
        }
        return new Curl(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
