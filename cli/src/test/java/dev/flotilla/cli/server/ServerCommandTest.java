package dev.flotilla.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.Flotilla;
import dev.flotilla.server.FleetServer;
import dev.flotilla.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flotilla server}: flags and config file to a running TLS server; refusals with actionable messages. */
@Timeout(120)
class ServerCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Flotilla.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Parses the arguments like the CLI and starts the server without blocking. */
    static FleetServer start(StringWriter out, String... args) {
        CommandLine cl = Flotilla.commandLine();
        cl.setOut(new PrintWriter(out));
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        ServerCommand cmd = (ServerCommand) parsed.subcommand().commandSpec().userObject();
        return cmd.startServer();
    }

    static int curl(Path dir, String url, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "15", "-o", "/dev/null", "-w",
                "%{http_code}"));
        cmd.addAll(List.of(options));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("curl.err").toFile()).start();
        String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() != 0 ? -p.exitValue() : Integer.parseInt(code);
    }

    @Test
    void plainHttpIsLoopbackOnlyAndHalfGivenFlagsAreRefused() {
        Run r = execute("server", "--fleet-server-insecure-http", "--fleet-server-host=0.0.0.0",
                "--data-dir=" + dir.resolve("d"), "--fleet-server-port=0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("plain HTTP is served on localhost only").doesNotContain("Exception");
        r = execute("server", "--fleet-server-cert=" + dir.resolve("x.crt"), "--data-dir=" + dir.resolve("d"),
                "--fleet-server-port=0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--fleet-server-cert-key");
        r = execute("server", "--fleet-server-client-auth=required", "--data-dir=" + dir.resolve("d"),
                "--fleet-server-port=0", "--system-cert-dir=" + dir.resolve("none"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--certificate-authorities");
        r = execute("server", "--fleet-server-client-auth=sometimes", "--data-dir=" + dir.resolve("d"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("none, optional, required");
    }

    @Test
    void noCertificateGeneratesASelfSignedCaAndReusesIt() throws Exception {
        StringWriter out = new StringWriter();
        String ca;
        try (FleetServer server = start(out, "server", "--fleet-server-port=0", "--data-dir=" + dir.resolve("data"),
                "--system-cert-dir=" + dir.resolve("none"))) {
            assertThat(out.toString()).contains("generated self-signed").contains("sha256");
            ca = dir.resolve("data/certs/ca.crt").toString();
            assertThat(out.toString()).contains("--certificate-authorities=" + ca);
            String url = "https://localhost:" + server.port() + "/api/status";
            assertThat(curl(dir, url)).isEqualTo(-60);
            assertThat(curl(dir, url, "--cacert", ca)).isEqualTo(200);
        }
        String before = Files.readString(Path.of(ca));
        StringWriter again = new StringWriter();
        try (FleetServer server = start(again, "server", "--fleet-server-port=0", "--data-dir=" + dir.resolve("data"),
                "--system-cert-dir=" + dir.resolve("none"))) {
            assertThat(again.toString()).doesNotContain("generated");
            assertThat(Files.readString(Path.of(ca))).isEqualTo(before);
            assertThat(curl(dir, "https://localhost:" + server.port() + "/api/status", "--cacert", ca)).isEqualTo(200);
        }
    }

    @Test
    void seedFlagsForMutualTlsWithAnEncryptedKey() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir.resolve("pki"));
        TestCertificates.Issued server = pki.server("localhost");
        TestCertificates.Issued agent = pki.client("agent");
        Path key = server.encryptedKey("s3cret");
        Path pass = Files.writeString(dir.resolve("pass"), "s3cret");
        try (FleetServer s = start(new StringWriter(), "server", "--fleet-server-port=0",
                "--data-dir=" + dir.resolve("data"), "--fleet-server-cert=" + server.chain(),
                "--fleet-server-cert-key=" + key, "--fleet-server-cert-key-passphrase=" + pass,
                "--certificate-authorities=" + pki.caCertificate(), "--fleet-server-client-auth=required")) {
            String url = "https://localhost:" + s.port() + "/api/status";
            String ca = pki.caCertificate().toString();
            assertThat(curl(dir, url, "--cacert", ca)).isLessThan(0);
            assertThat(curl(dir, url, "--cacert", ca, "--cert", agent.certificate().toString(), "--key",
                    agent.key().toString())).isEqualTo(200);
        }
    }

    @Test
    void configFileWithSslSettings() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir.resolve("pki"));
        TestCertificates.Issued server = pki.server("localhost");
        Path config = Files.writeString(dir.resolve("fleet-server.yml"), String.join("\n",
                "port: 0",
                "data_dir: data",
                "ssl:",
                "  certificate: " + server.chain(),
                "  key: " + server.key(),
                ""));
        try (FleetServer s = start(new StringWriter(), "server", "--config=" + config)) {
            assertThat(s.config().dataDir()).isEqualTo(dir.resolve("data"));
            assertThat(curl(dir, "https://localhost:" + s.port() + "/api/status", "--cacert",
                    pki.caCertificate().toString())).isEqualTo(200);
        }
        Path bad = Files.writeString(dir.resolve("bad.yml"), "prot: 8220\n");
        Run r = execute("server", "--config=" + bad);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unknown setting 'prot'");
    }
}
