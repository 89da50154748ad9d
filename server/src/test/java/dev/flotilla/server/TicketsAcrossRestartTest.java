package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fleet Server keeps its TLS session-ticket secrets in {@code <data-dir>/tls-ticket.keys}: an agent's ticket from
 * before a restart resumes on the restarted server ({@code openssl s_client -sess_out}, then {@code -sess_in}); a
 * server on another data directory does not accept it.
 */
@Timeout(120)
class TicketsAcrossRestartTest {
    @TempDir
    Path dir;

    @Test
    void anAgentResumesItsTlsSessionAfterARestartOnTheSameDataDirectory() throws Exception {
        TestCertificates pki = TestCertificates.ec(dir.resolve("pki"));
        TestCertificates.Issued serverCert = pki.server("localhost");
        TestCertificates.Issued client = pki.client("agent-1");
        TlsSettings mtls = TlsSettings.builder().source("test").certificate(serverCert.chain()).key(serverCert.key())
                .addCertificateAuthority(pki.caCertificate()).build();
        Path session = dir.resolve("session.pem");

        String first;
        try (FleetServer server = FleetServer.start(TestFleet.base(dir).host("127.0.0.1").tls(mtls).build())) {
            first = sClient(server.port(), pki, client, "-sess_out", session);
        }
        assertThat(first).contains("HTTP/1.1 200").contains("New, TLSv1.3").doesNotContain("Reused,");
        Path keys = dir.resolve("data").resolve(FleetServerConfig.TICKET_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");

        try (FleetServer restarted = FleetServer.start(TestFleet.base(dir).host("127.0.0.1").tls(mtls).build())) {
            assertThat(sClient(restarted.port(), pki, client, "-sess_in", session))
                    .contains("Reused, TLSv1.3").contains("HTTP/1.1 200");
        }
        try (FleetServer elsewhere = FleetServer.start(TestFleet.base(dir.resolve("other")).host("127.0.0.1")
                .tls(mtls).build())) {
            assertThat(sClient(elsewhere.port(), pki, client, "-sess_in", session))
                    .contains("HTTP/1.1 200").doesNotContain("Reused,");
        }
    }

    private String sClient(int port, TestCertificates pki, TestCertificates.Issued client, String flag, Path session)
            throws Exception {
        Path out = Files.createTempFile(dir, "s_client", ".out");
        Process p = new ProcessBuilder(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_return_error", "-CAfile", pki.caCertificate().toString(),
                "-tls1_3", "-ign_eof", flag, session.toString(), "-cert", client.certificate().toString(),
                "-key", client.key().toString())).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().write("GET /api/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("openssl s_client did not finish: " + Files.readString(out));
        }
        return Files.readString(out);
    }
}
