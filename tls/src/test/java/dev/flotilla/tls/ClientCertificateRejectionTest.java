package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.Command;
import dev.flotilla.tls.peers.NettyPeers;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client certificates the server must refuse, each seen from both sides: {@code openssl s_client} gets the TLS
 * alert that names the reason (unknown_ca, certificate_expired, unsupported_certificate) and the server logs a
 * diagnosis naming the hop, the client and its certificate and the fix. A good certificate is let in before and
 * after each refusal (the verified-chain cache never lets a refused chain through, nor a good one refused).
 */
class ClientCertificateRejectionTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static TestCertificates pki;
    static TestCertificates.Issued server;
    static TestCertificates.Issued good;
    static TestCertificates.Issued intruder;
    static TestCertificates.Issued expired;
    static Path serverOnly;
    static Path serverOnlyKey;

    enum Bad { WRONG_CA, EXPIRED, NO_CLIENT_AUTH_USAGE }

    @BeforeAll
    static void setUp() throws Exception {
        peers = new NettyPeers();
        pki = TestCertificates.ec(dir.resolve("pki"));
        server = pki.server("localhost");
        good = pki.client("agent-1");
        intruder = pki.otherCa("other").client("intruder");
        expired = pki.expired("agent-expired");
        // a certificate from the right CA whose extended key usage allows servers only
        serverOnlyKey = dir.resolve("server-only.key");
        serverOnly = dir.resolve("server-only.crt");
        Path csr = dir.resolve("server-only.csr");
        Path ext = Files.writeString(dir.resolve("server-only.ext"), "extendedKeyUsage=serverAuth\n");
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", serverOnlyKey.toString(), "-subj", "/CN=server-only", "-out", csr.toString());
        run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", pki.caCertificate().toString(), "-CAkey",
                pki.caKey().toString(), "-set_serial", "4242", "-days", "30", "-extfile", ext.toString(),
                "-out", serverOnly.toString());
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Bad.class)
    void refusedWithTheMatchingAlertAndADiagnosis(Bad bad) throws Exception {
        TlsSettings settings = TlsSettings.builder().certificate(server.certificate()).key(server.key())
                .addCertificateAuthority(pki.caCertificate()).supportedProtocols(List.of("TLSv1.3")).build();
        ServerTls tls = ServerTls.create(settings, "Fleet Server", SslProvider.OPENSSL);
        try (NettyPeers.Server s = peers.server(tls)) {
            assertThat(sClient(s.port(), good.certificate(), good.key())).contains("hello CN=agent-1");
            String out = switch (bad) {
                case WRONG_CA -> sClient(s.port(), intruder.certificate(), intruder.key());
                case EXPIRED -> sClient(s.port(), expired.certificate(), expired.key());
                case NO_CLIENT_AUTH_USAGE -> sClient(s.port(), serverOnly, serverOnlyKey);
            };
            assertThat(out).doesNotContain("hello ");
            switch (bad) {
                case WRONG_CA -> {
                    assertThat(out).contains("alert unknown ca");
                    assertServerSaw(s, TlsProblem.UNKNOWN_CA, "CN=intruder", "no trusted CA signed",
                            "Issue the client certificate from one of these CAs");
                }
                case EXPIRED -> {
                    assertThat(out).contains("alert certificate expired");
                    assertServerSaw(s, TlsProblem.EXPIRED, "CN=agent-expired", "expired at", "issue a new certificate");
                }
                case NO_CLIENT_AUTH_USAGE -> {
                    assertThat(out).contains("alert unsupported certificate");
                    assertServerSaw(s, TlsProblem.WRONG_USAGE, "CN=server-only", "(clientAuth)",
                            "issue a client certificate");
                }
            }
            // the good one twice more: from the cache of accepted chains, and still only it
            assertThat(sClient(s.port(), good.certificate(), good.key())).contains("hello CN=agent-1");
            assertThat(sClient(s.port(), good.certificate(), good.key())).contains("hello CN=agent-1");
        }
    }

    private static void assertServerSaw(NettyPeers.Server server, TlsProblem problem, String... parts)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline)) {
            for (TlsException f : server.failures) {
                if (f.problem() == problem) {
                    assertThat(f.getMessage()).contains("Fleet Server: the client at ").contains(parts)
                            .contains("sha256=");
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("server did not report " + problem + "; it saw "
                + server.failures.stream().map(Throwable::getMessage).toList());
    }

    private static String sClient(int port, Path cert, Path key) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_return_error", "-CAfile", pki.caCertificate().toString(),
                "-tls1_3", "-ign_eof", "-cert", cert.toString(), "-key", key.toString()));
        return Command.run(dir, cmd, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").output();
    }

    private static void run(String... cmd) throws Exception {
        Command.Result r = Command.run(dir, List.of(cmd), "");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
