package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.Command;
import dev.flotilla.tls.peers.NettyPeers;
import dev.flotilla.tls.peers.PlainHttpServer;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** http:// vs https:// confusion in both directions, and the JDK client path ({@link ClientTls#jdk()}). */
class TlsDiagnosticsTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static TestCertificates pki;
    static TestCertificates.Issued localhost;
    static TestCertificates.Issued agent;
    static TestCertificates.Issued intruder;
    static TestCertificates.Issued noIp;
    static TestCertificates other;

    @BeforeAll
    static void setUp() {
        peers = new NettyPeers();
        pki = TestCertificates.ec(dir.resolve("pki"));
        localhost = pki.server("localhost");
        agent = pki.client("agent-7");
        other = pki.otherCa("evil");
        intruder = other.client("intruder");
        noIp = pki.server("fleet.local", List.of("fleet.local"), List.of());
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    private static ServerTls serverTls() {
        return ServerTls.create(TlsSettings.builder().certificate(localhost.certificate()).key(localhost.key()).build(),
                "Fleet Server");
    }

    private static ClientTls client(SslProvider provider, TlsSettings.Builder b) {
        return ClientTls.create(b.build(), "agent -> Fleet Server", provider);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void tlsClientToAPlainHttpPortIsToldToUseHttp(SslProvider provider) throws Exception {
        try (PlainHttpServer plain = new PlainHttpServer()) {
            NettyPeers.Outcome out = peers.get(client(provider, TlsSettings.builder()
                    .addCertificateAuthority(pki.caCertificate())), "127.0.0.1", plain.port());
            assertThat(out.ok()).isFalse();
            assertThat(out.failure().problem()).as(out.failure().getMessage()).isEqualTo(TlsProblem.PLAIN_HTTP_PEER);
            assertThat(out.failure().getMessage()).contains("agent -> Fleet Server: 127.0.0.1:" + plain.port()
                    + " answered without TLS").contains("Use http://127.0.0.1:" + plain.port());
        }
    }

    @Test
    void jdkHttpClientToAPlainHttpPortIsToldToUseHttp() throws Exception {
        ClientTls tls = ClientTls.create(TlsSettings.builder().addCertificateAuthority(pki.caCertificate()).build(),
                "agent -> Fleet Server");
        try (PlainHttpServer plain = new PlainHttpServer()) {
            URI uri = URI.create("https://127.0.0.1:" + plain.port() + "/");
            assertThatThrownBy(() -> send(tls, uri)).satisfies(e -> {
                TlsException x = tls.explain(e, "127.0.0.1", plain.port());
                assertThat(x.problem()).as(x.getMessage()).isEqualTo(TlsProblem.PLAIN_HTTP_PEER);
                assertThat(x.getMessage()).contains("Use http://127.0.0.1:" + plain.port());
            });
        }
        // without the handshake record (another client) the engine's words come with the hint
        try (PlainHttpServer plain = new PlainHttpServer()) {
            URI uri = URI.create("https://127.0.0.1:" + plain.port() + "/");
            assertThatThrownBy(() -> send(tls, uri)).satisfies(e -> assertThat(TlsDiagnostics.explain(e,
                    "agent -> Fleet Server", "127.0.0.1", plain.port()).getMessage()).contains("use http://"));
        }
    }

    @Test
    void plainHttpClientToTheTlsPortGetsA400SayingHttpsAndTheServerKnowsWhy() throws Exception {
        ServerTls tls = serverTls();
        try (NettyPeers.Server guarded = peers.serverRejectingPlainHttp(tls);
                NettyPeers.Server bare = peers.server(tls)) {
            Command.Result r = Command.run(dir, List.of("curl", "-sS", "--max-time", "10",
                    "http://127.0.0.1:" + guarded.port() + "/"), "");
            assertThat(r.output()).contains("Fleet Server speaks TLS on this port: use https://");
            Command.Result https = Command.run(dir, List.of("curl", "-sS", "--max-time", "10", "--cacert",
                    pki.caCertificate().toString(), "https://127.0.0.1:" + guarded.port() + "/"), "");
            assertThat(https.output()).contains("hello anonymous"); // TLS still passes the rejector

            Command.Result reset = Command.run(dir, List.of("curl", "-sS", "--max-time", "10",
                    "http://127.0.0.1:" + bare.port() + "/"), "");
            assertThat(reset.ok()).isFalse();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (bare.failures.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(bare.failures).anySatisfy(f -> {
                assertThat(f.problem()).isEqualTo(TlsProblem.PLAIN_HTTP_CLIENT);
                assertThat(f.getMessage()).contains("Fleet Server: the client at").contains("must use https://");
            });
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void jdkHttpClientIsToldAboutClientCertificates(String version) throws Exception {
        ServerTls tls = ServerTls.create(TlsSettings.builder().certificate(localhost.certificate()).key(localhost.key())
                .addCertificateAuthority(pki.caCertificate()).supportedProtocols(List.of(version)).build(),
                "Fleet Server");
        try (NettyPeers.Server server = peers.server(tls)) {
            URI uri = URI.create("https://127.0.0.1:" + server.port() + "/");
            TlsSettings.Builder base = TlsSettings.builder().addCertificateAuthority(pki.caCertificate());
            ClientTls none = ClientTls.create(base.build(), "agent -> Fleet Server");
            assertThatThrownBy(() -> send(none, uri)).satisfies(e -> {
                TlsException x = none.explain(e, "127.0.0.1", server.port());
                assertThat(x.problem()).as(x.getMessage()).isEqualTo(TlsProblem.CLIENT_CERTIFICATE_MISSING);
                assertThat(x.getMessage()).contains("requires a client certificate and none is configured")
                        .contains("CN=Flotilla Test CA");
            });
            ClientTls wrong = ClientTls.create(base.certificate(intruder.certificate()).key(intruder.key()).build(),
                    "agent -> Fleet Server");
            assertThatThrownBy(() -> send(wrong, uri)).satisfies(e -> {
                TlsException x = wrong.explain(e, "127.0.0.1", server.port());
                assertThat(x.problem()).as(x.getMessage()).isEqualTo(TlsProblem.CLIENT_CERTIFICATE_REJECTED);
                assertThat(x.getMessage()).contains("CN=intruder").contains("which is not among them");
            });
            ClientTls good = ClientTls.create(base.certificate(agent.certificate()).key(agent.key()).build(),
                    "agent -> Fleet Server");
            assertThat(send(good, uri)).contains("hello CN=agent-7");
        }
    }

    private static String send(ClientTls tls, URI uri) throws Exception {
        return HttpClient.newBuilder().sslContext(tls.jdk()).sslParameters(tls.jdkParameters()).build()
                .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void jdkHttpClientUsesTheSameVerification() throws Exception {
        ServerTls tls = ServerTls.create(TlsSettings.builder().certificate(noIp.certificate()).key(noIp.key())
                .build(), "Fleet Server");
        try (NettyPeers.Server server = peers.server(tls)) {
            URI uri = URI.create("https://127.0.0.1:" + server.port() + "/");
            TlsSettings.Builder trustCa = TlsSettings.builder().addCertificateAuthority(pki.caCertificate());

            ClientTls full = ClientTls.create(trustCa.build(), "agent -> Fleet Server");
            HttpClient strictClient = HttpClient.newBuilder().sslContext(full.jdk())
                    .sslParameters(full.jdkParameters()).build();
            assertThatThrownBy(() -> strictClient.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()))
                    .satisfies(e -> {
                        TlsException x = TlsDiagnostics.explain(e, "agent -> Fleet Server", "127.0.0.1",
                                server.port());
                        assertThat(x.problem()).isEqualTo(TlsProblem.HOSTNAME_MISMATCH);
                        assertThat(x.getMessage()).contains("has no IP SAN 127.0.0.1 (SANs: [DNS:fleet.local])");
                    });

            // verification_mode: certificate - the JDK client must not add a host name check of its own
            ClientTls cert = ClientTls.create(trustCa.verificationMode(VerificationMode.CERTIFICATE).build(),
                    "agent -> Fleet Server");
            HttpResponse<String> ok = HttpClient.newBuilder().sslContext(cert.jdk())
                    .sslParameters(cert.jdkParameters()).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.body()).contains("hello anonymous");

            // and an unrelated CA is refused with the diagnosis
            ClientTls otherTrust = ClientTls.create(TlsSettings.builder().addCertificateAuthority(
                    other.caCertificate()).verificationMode(VerificationMode.CERTIFICATE).build(),
                    "agent -> Fleet Server");
            assertThatThrownBy(() -> HttpClient.newBuilder().sslContext(otherTrust.jdk()).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .satisfies(e -> assertThat(TlsDiagnostics.explain(e, "agent -> Fleet Server", "127.0.0.1",
                            server.port()).problem()).isEqualTo(TlsProblem.UNKNOWN_CA));
        }
    }
}
