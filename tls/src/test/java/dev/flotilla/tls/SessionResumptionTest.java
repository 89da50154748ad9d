package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.Command;
import dev.flotilla.tls.peers.NettyPeers;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS session resumption on Flotilla's BoringSSL server, seen from {@code openssl s_client -sess_out/-sess_in}: a
 * client that comes back with its ticket resumes (no new certificate check, the server still knows the client's
 * certificate), and a reload of the TLS files ends every earlier ticket, so after a CA is taken out a client can no
 * longer get in by resuming.
 */
class SessionResumptionTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static TestCertificates pki;
    static TestCertificates other;
    static TestCertificates.Issued server;
    static TestCertificates.Issued client;

    @BeforeAll
    static void setUp() throws Exception {
        peers = new NettyPeers();
        pki = TestCertificates.ec(dir.resolve("pki"));
        other = pki.otherCa("other");
        server = pki.server("localhost");
        client = pki.client("agent-1");
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    @Test
    void aReturningClientResumesAndKeepsItsIdentity() throws Exception {
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            ServerTls tls = ServerTls.create(mtls(pki.caCertificate(), version), "Fleet Server", SslProvider.OPENSSL);
            try (NettyPeers.Server s = peers.server(tls)) {
                Path session = dir.resolve("session-" + version + ".pem");
                String first = sClient(s.port(), version, client, pki.caCertificate(), "-sess_out", session);
                assertThat(first).contains("hello CN=agent-1").contains("New, TLSv1.").doesNotContain("Reused,");
                String second = sClient(s.port(), version, client, pki.caCertificate(), "-sess_in", session);
                assertThat(second).as(version).contains("Reused, TLSv1.").contains("hello CN=agent-1");
            }
        }
    }

    @Test
    void aReloadEndsEarlierSessionsSoARemovedCaCannotResume() throws Exception {
        Path ca = dir.resolve("reload-ca.crt");
        Files.copy(pki.caCertificate(), ca, StandardCopyOption.REPLACE_EXISTING);
        ServerTls tls = ServerTls.create(mtls(ca, "TLSv1.3"), "Fleet Server", SslProvider.OPENSSL);
        try (NettyPeers.Server s = peers.server(tls)) {
            Path session = dir.resolve("session-reload.pem");
            assertThat(sClient(s.port(), "TLSv1.3", client, pki.caCertificate(), "-sess_out", session))
                    .contains("hello CN=agent-1");
            assertThat(sClient(s.port(), "TLSv1.3", client, pki.caCertificate(), "-sess_in", session))
                    .contains("Reused, TLSv1.3").contains("hello CN=agent-1");

            // the operator replaces the client CA: agent-1's issuer is no longer trusted
            Path next = dir.resolve("reload-ca.next");
            Files.copy(other.caCertificate(), next, StandardCopyOption.REPLACE_EXISTING);
            Files.move(next, ca, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertThat(tls.reloadIfChanged()).isTrue();

            String after = sClient(s.port(), "TLSv1.3", client, pki.caCertificate(), "-sess_in", session);
            assertThat(after).doesNotContain("Reused,").doesNotContain("hello ");
        }
    }

    static TlsSettings mtls(Path ca, String version) {
        return TlsSettings.builder().certificate(server.certificate()).key(server.key())
                .addCertificateAuthority(ca).supportedProtocols(List.of(version)).build();
    }

    static String sClient(int port, String version, TestCertificates.Issued cert, Path trust, String sessionFlag,
            Path session) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_return_error", "-CAfile", trust.toString(),
                version.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3", "-ign_eof", sessionFlag, session.toString()));
        if (cert != null) {
            cmd.addAll(List.of("-cert", cert.certificate().toString(), "-key", cert.key().toString()));
        }
        return Command.run(dir, cmd, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").output();
    }
}
