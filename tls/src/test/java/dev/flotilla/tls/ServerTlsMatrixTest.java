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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flotilla's TLS server (Netty on BoringSSL and on the JDK engine) against real clients: {@code openssl s_client
 * -verify_return_error} and {@code curl}, RSA and EC, TLS 1.2 and 1.3, client_authentication none, optional and
 * required. Every case checks who got in (the server answers "hello &lt;client subject or anonymous&gt;") and who
 * must not, and for rejected client certificates the server's own diagnosis.
 */
class ServerTlsMatrixTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static Pki rsa;
    static Pki ec;

    record Pki(String name, TestCertificates ca, TestCertificates other, TestCertificates.Issued server,
            TestCertificates.Issued client, TestCertificates.Issued intruder) {
        static Pki create(String name, Path dir, boolean rsa) throws Exception {
            Files.createDirectories(dir);
            TestCertificates ca = rsa ? TestCertificates.rsa(dir) : TestCertificates.ec(dir);
            TestCertificates other = ca.otherCa("other");
            return new Pki(name, ca, other, ca.server("localhost"), ca.client("agent-1"), other.client("intruder"));
        }
    }

    enum Peer { S_CLIENT, CURL }

    /** Which client certificate the peer shows, and which CA it trusts. */
    enum Shows { NOTHING, CLIENT_CERT, INTRUDER_CERT, WRONG_TRUST }

    @BeforeAll
    static void setUp() throws Exception {
        peers = new NettyPeers();
        rsa = Pki.create("RSA", dir.resolve("rsa"), true);
        ec = Pki.create("EC", dir.resolve("ec"), false);
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (SslProvider provider : List.of(SslProvider.OPENSSL, SslProvider.JDK)) {
            for (String keys : List.of("RSA", "EC")) {
                for (String version : List.of("TLSv1.2", "TLSv1.3")) {
                    for (ClientAuthentication auth : ClientAuthentication.values()) {
                        all.add(Arguments.of(provider, keys, version, auth));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} client_authentication {3}")
    @MethodSource("matrix")
    void serverAgainstOpensslAndCurl(SslProvider provider, String keys, String version, ClientAuthentication auth)
            throws Exception {
        Pki pki = keys.equals("RSA") ? rsa : ec;
        TlsSettings.Builder settings = TlsSettings.builder().certificate(pki.server().certificate())
                .key(pki.server().key()).supportedProtocols(List.of(version));
        if (auth != ClientAuthentication.NONE) {
            settings.addCertificateAuthority(pki.ca().caCertificate());
        }
        if (auth != ClientAuthentication.REQUIRED) {
            settings.clientAuthentication(auth); // required is the default once CAs are set
        }
        ServerTls tls = ServerTls.create(settings.build(), "Fleet Server", provider);
        try (NettyPeers.Server server = peers.server(tls)) {
            for (Peer peer : Peer.values()) {
                // a client that does not trust the server's CA never gets in
                assertRefused(call(peer, pki, server.port(), version, Shows.WRONG_TRUST));
                String withCert = call(peer, pki, server.port(), version, Shows.CLIENT_CERT);
                String without = call(peer, pki, server.port(), version, Shows.NOTHING);
                String intruder = call(peer, pki, server.port(), version, Shows.INTRUDER_CERT);
                switch (auth) {
                    case NONE -> {
                        assertThat(withCert).contains("hello anonymous"); // not asked, so not sent
                        assertThat(without).contains("hello anonymous");
                        assertThat(intruder).contains("hello anonymous");
                    }
                    case OPTIONAL -> {
                        assertThat(withCert).contains("hello CN=agent-1");
                        assertThat(without).contains("hello anonymous");
                        assertRefused(intruder);
                        assertServerSaw(server, TlsProblem.UNKNOWN_CA, "CN=intruder");
                    }
                    case REQUIRED -> {
                        assertThat(withCert).contains("hello CN=agent-1");
                        assertRefused(without);
                        assertRefused(intruder);
                        assertServerSaw(server, TlsProblem.UNKNOWN_CA, "CN=intruder");
                    }
                }
                server.failures.clear();
            }
        }
    }

    private static void assertRefused(String output) {
        assertThat(output).doesNotContain("hello ");
    }

    private static void assertServerSaw(NettyPeers.Server server, TlsProblem problem, String part)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline)) {
            if (server.failures.stream().anyMatch(f -> f.problem() == problem && f.getMessage().contains(part))) {
                TlsException f = server.failures.stream().filter(x -> x.problem() == problem).findFirst().get();
                assertThat(f.getMessage()).contains("Fleet Server: the client at").contains("no trusted CA signed")
                        .contains("Issue the client certificate from one of these CAs");
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("server did not report " + problem + " with '" + part + "'; it saw "
                + server.failures.stream().map(Throwable::getMessage).toList());
    }

    static String call(Peer peer, Pki pki, int port, String version, Shows shows) throws Exception {
        Path trust = shows == Shows.WRONG_TRUST ? pki.other().caCertificate() : pki.ca().caCertificate();
        TestCertificates.Issued cert = shows == Shows.CLIENT_CERT ? pki.client()
                : shows == Shows.INTRUDER_CERT ? pki.intruder() : null;
        List<String> cmd = new ArrayList<>();
        if (peer == Peer.S_CLIENT) {
            cmd.addAll(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                    "-verify_return_error", "-verify_hostname", "localhost", "-CAfile", trust.toString(), "-quiet",
                    version.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3"));
            if (cert != null) {
                cmd.addAll(List.of("-cert", cert.certificate().toString(), "-key", cert.key().toString()));
            }
        } else {
            cmd.addAll(List.of("curl", "-sS", "--max-time", "10", "--resolve", "localhost:" + port + ":127.0.0.1",
                    "--cacert", trust.toString(), version.equals("TLSv1.2") ? "--tlsv1.2" : "--tlsv1.3",
                    "--tls-max", version.equals("TLSv1.2") ? "1.2" : "1.3", "https://localhost:" + port + "/"));
            if (cert != null) {
                cmd.addAll(List.of("--cert", cert.certificate().toString(), "--key", cert.key().toString()));
            }
        }
        Command.Result r = Command.run(dir, cmd, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n");
        if (r.output().contains("hello ")) {
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        return r.output();
    }
}
