package dev.flotilla.server.store.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.testing.es.ClusterCertificates;
import dev.flotilla.testing.es.ElasticsearchExtension;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import dev.flotilla.tls.TlsProblem;
import dev.flotilla.tls.TlsSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' Fleet Server -> Elasticsearch settings against a cluster that requires client certificates
 * ({@code xpack.security.http.ssl.client_authentication: required}): CA file, CA fingerprint, client certificate,
 * and each way of getting them wrong failing with its own named cause.
 */
class ElasticsearchStoreConnectionIT {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder()
            .clientAuthentication("required"));

    @TempDir
    Path temp;

    private static ClusterCertificates certs() {
        return ES.node().certificates();
    }

    private static TlsSettings.Builder withClientCertificate() {
        return TlsSettings.builder().certificate(certs().clientCertificate()).key(certs().clientKey());
    }

    private static ElasticsearchFleetStore connect(TlsSettings tls) {
        return connect(ES.node().serviceToken(), tls);
    }

    private static ElasticsearchFleetStore connect(String token, TlsSettings tls) {
        return ElasticsearchFleetStore.connect(ElasticsearchStoreConfig.of(ES.node().uri(), token, tls)
                .withRequestTimeout(Duration.ofSeconds(10)));
    }

    @Test
    void connectsWithTheCaFileAndClientCertificate() {
        try (ElasticsearchFleetStore store = connect(withClientCertificate()
                .addCertificateAuthority(certs().caCertificate()).build())) {
            store.ping();
            PolicyRevision p = store.putPolicy("mtls-ca", "{}");
            assertThat(store.latestPolicy("mtls-ca")).contains(p);
        }
    }

    @Test
    void connectsWithTheCaFingerprintAndClientCertificate() {
        try (ElasticsearchFleetStore store = connect(withClientCertificate()
                .caTrustedFingerprint(certs().caFingerprint()).build())) {
            store.ping();
            assertThat(store.putPolicy("mtls-fingerprint", "{}").revision()).isEqualTo(1);
        }
    }

    @Test
    void aWrongCaIsNamed() {
        TestCertificates other = TestCertificates.rsa(temp.resolve("other"));

        assertThatThrownBy(() -> connect(withClientCertificate().addCertificateAuthority(other.caCertificate())
                .build()))
                .isInstanceOfSatisfying(ElasticsearchStoreException.class, e -> {
                    assertThat(e.problem()).isEqualTo(ElasticsearchProblem.TLS);
                    assertThat(e.tlsProblem()).isEqualTo(TlsProblem.UNKNOWN_CA);
                })
                .hasMessageContaining(ES.node().uri().toString());
    }

    @Test
    void aWrongFingerprintIsNamed() {
        TestCertificates other = TestCertificates.rsa(temp.resolve("other"));

        assertThatThrownBy(() -> connect(withClientCertificate().caTrustedFingerprint(other.caFingerprint()).build()))
                .isInstanceOfSatisfying(ElasticsearchStoreException.class, e -> {
                    assertThat(e.problem()).isEqualTo(ElasticsearchProblem.TLS);
                    assertThat(e.tlsProblem()).isEqualTo(TlsProblem.FINGERPRINT_NOT_PRESENTED);
                });
    }

    @Test
    void aMissingClientCertificateIsNamed() {
        assertThatThrownBy(() -> connect(TlsSettings.builder().addCertificateAuthority(certs().caCertificate())
                .build()))
                .isInstanceOfSatisfying(ElasticsearchStoreException.class, e -> {
                    assertThat(e.problem()).isEqualTo(ElasticsearchProblem.TLS);
                    assertThat(e.tlsProblem()).isEqualTo(TlsProblem.CLIENT_CERTIFICATE_MISSING);
                })
                .hasMessageContaining("--fleet-server-es-cert");
    }

    @Test
    void aBadServiceTokenIsNamed() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "\0\1\0\1elastic/fleet-server/flotilla-test:wrong-secret".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> connect(forged, withClientCertificate()
                .addCertificateAuthority(certs().caCertificate()).build()))
                .isInstanceOfSatisfying(ElasticsearchStoreException.class,
                        e -> assertThat(e.problem()).isEqualTo(ElasticsearchProblem.SERVICE_TOKEN_REJECTED))
                .hasMessageContaining("--fleet-server-service-token");
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ElasticsearchStoreConfig config = ElasticsearchStoreConfig.of(URI.create("https://localhost:" + closedPort),
                ES.node().serviceToken(), withClientCertificate().addCertificateAuthority(certs().caCertificate())
                        .build());

        assertThatThrownBy(() -> ElasticsearchFleetStore.connect(config))
                .isInstanceOfSatisfying(ElasticsearchStoreException.class,
                        e -> assertThat(e.problem()).isEqualTo(ElasticsearchProblem.UNREACHABLE));
    }

    @Test
    void aClusterOutageMakesTheStoreUnavailableAndNothingIsLostWhenItReturns() {
        try (ElasticsearchFleetStore store = connect(withClientCertificate()
                .addCertificateAuthority(certs().caCertificate()).build())) {
            PolicyRevision before = store.putPolicy("outage", "{\"v\":1}");

            ES.node().stop();
            try {
                assertThatThrownBy(store::ping).isInstanceOfSatisfying(ElasticsearchStoreException.class,
                        e -> assertThat(e.problem()).isEqualTo(ElasticsearchProblem.UNREACHABLE));
                assertThatThrownBy(() -> store.putPolicy("outage", "{\"v\":2}"))
                        .isInstanceOf(ElasticsearchStoreException.class);
            } finally {
                ES.node().start();
            }

            store.ping();
            assertThat(store.latestPolicy("outage")).contains(before);
            assertThat(store.putPolicy("outage", "{\"v\":2}").revision()).isEqualTo(2);
        }
    }
}
