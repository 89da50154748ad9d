package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.NettyPeers;
import dev.flotilla.tls.peers.OpensslServer;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** supported_protocols, cipher_suites and curve_types take effect: a match connects, a mismatch is explained. */
class ParametersTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static TestCertificates pki;
    static TestCertificates.Issued server;

    @BeforeAll
    static void setUp() {
        peers = new NettyPeers();
        pki = TestCertificates.rsa(dir.resolve("pki"));
        server = pki.server("localhost");
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    private static NettyPeers.Outcome connect(SslProvider provider, List<String> serverArgs,
            TlsSettings.Builder client) throws Exception {
        List<String> args = new ArrayList<>(List.of("-cert", server.certificate().toString(), "-key",
                server.key().toString()));
        args.addAll(serverArgs);
        try (OpensslServer s = OpensslServer.start(dir, args)) {
            ClientTls tls = ClientTls.create(client.addCertificateAuthority(pki.caCertificate()).build(),
                    "Fleet Server -> Elasticsearch", provider);
            return peers.get(tls, "127.0.0.1", s.port());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void protocolVersions(SslProvider provider) throws Exception {
        NettyPeers.Outcome only13 = connect(provider, List.of("-tls1_2"),
                TlsSettings.builder().supportedProtocols(List.of("TLSv1.3")));
        assertThat(only13.failure()).isNotNull();
        assertThat(only13.failure().problem()).as(only13.failure().getMessage())
                .isEqualTo(TlsProblem.NO_COMMON_PARAMETERS);
        assertThat(only13.failure().getMessage()).contains("Fleet Server -> Elasticsearch")
                .contains("supported_protocols [TLSv1.3]");
        NettyPeers.Outcome both = connect(provider, List.of("-tls1_2"), TlsSettings.builder());
        assertThat(both.failure()).isNull();
        assertThat(both.protocol()).isEqualTo("TLSv1.2");
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void cipherSuites(SslProvider provider) throws Exception {
        NettyPeers.Outcome ecdsaOnly = connect(provider, List.of("-tls1_2"), TlsSettings.builder()
                .cipherSuites(List.of("ECDHE-ECDSA-AES-128-GCM-SHA256"))); // the server has an RSA key
        assertThat(ecdsaOnly.failure()).isNotNull();
        assertThat(ecdsaOnly.failure().problem()).as(ecdsaOnly.failure().getMessage())
                .isEqualTo(TlsProblem.NO_COMMON_PARAMETERS);
        assertThat(ecdsaOnly.failure().getMessage()).contains("cipher_suites [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]");
        NettyPeers.Outcome rsa = connect(provider, List.of("-tls1_2"), TlsSettings.builder()
                .cipherSuites(List.of("ECDHE-RSA-AES-256-GCM-SHA384")));
        assertThat(rsa.failure()).isNull();
        assertThat(rsa.body()).contains("ECDHE-RSA-AES256-GCM-SHA384"); // s_server -www reports the cipher used
        // as with Elastic (Go), TLS 1.2 suites do not switch TLS 1.3 off
        NettyPeers.Outcome tls13 = connect(provider, List.of(), TlsSettings.builder()
                .cipherSuites(List.of("ECDHE-RSA-AES-256-GCM-SHA384")));
        assertThat(tls13.failure()).isNull();
        assertThat(tls13.protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void curveTypesOnBoringSsl() throws Exception {
        NettyPeers.Outcome p256 = connect(SslProvider.OPENSSL, List.of("-groups", "X25519"),
                TlsSettings.builder().curveTypes(List.of("P-256")));
        assertThat(p256.failure()).isNotNull();
        assertThat(p256.failure().problem()).as(p256.failure().getMessage()).isEqualTo(TlsProblem.NO_COMMON_PARAMETERS);
        NettyPeers.Outcome x25519 = connect(SslProvider.OPENSSL, List.of("-groups", "X25519"),
                TlsSettings.builder().curveTypes(List.of("X25519")));
        assertThat(x25519.failure()).isNull();
    }
}
