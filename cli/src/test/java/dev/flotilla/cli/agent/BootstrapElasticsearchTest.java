package dev.flotilla.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.server.store.es.ElasticsearchStoreConfig;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.VerificationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's recorded {@code elasticsearch} settings as a store configuration, and the policy it creates. */
class BootstrapElasticsearchTest {
    @TempDir
    Path root;

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        FleetServerOptions o;
    }

    private static FleetServerOptions flags(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.o;
    }

    @Test
    void noHostsMeansTheEmbeddedStore() {
        assertThat(BootstrapElasticsearch.config(null)).isNull();
        assertThat(BootstrapElasticsearch.config(Map.of("ssl", Map.of()))).isNull();
        assertThat(BootstrapElasticsearch.config(Map.of("hosts", List.of()))).isNull();
    }

    @Test
    void recordedSettingsBecomeTheStoreConfiguration() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        ElasticsearchStoreConfig config = BootstrapElasticsearch.config(Map.of(
                "hosts", List.of("https://es.example:9200"), "service_token", "tok",
                "ssl", Map.of("certificate_authorities", List.of(pki.caCertificate().toString()),
                        "ca_trusted_fingerprint", pki.caFingerprint())));
        assertThat(config.hosts()).containsExactly(URI.create("https://es.example:9200"));
        assertThat(config.serviceToken()).isEqualTo("tok");
        assertThat(config.tls().enabled()).isTrue();
        assertThat(config.tls().caTrustedFingerprint()).isEqualTo(pki.caFingerprint());
        assertThat(config.toString()).doesNotContain("tok");

        ElasticsearchStoreConfig plain = BootstrapElasticsearch.config(Map.of("hosts", List.of("http://127.0.0.1:9200"),
                "service_token", "tok", "ssl", Map.of()));
        assertThat(plain.tls().enabled()).isFalse();

        ElasticsearchStoreConfig insecure = BootstrapElasticsearch.config(Map.of("hosts", List.of("https://es:9200"),
                "service_token", "tok", "ssl", Map.of("verification_mode", "none")));
        assertThat(insecure.tls().verificationMode()).isEqualTo(VerificationMode.NONE);
    }

    @Test
    void mistakesNameTheFlag() {
        assertThatThrownBy(() -> BootstrapElasticsearch.config(Map.of("hosts", List.of("es:9200"), "service_token", "t",
                "ssl", Map.of()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fleet-server-es");
        assertThatThrownBy(() -> BootstrapElasticsearch.config(Map.of("hosts", List.of("https://es:9200"),
                "ssl", Map.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--fleet-server-service-token");
    }

    @Test
    void thePolicysDefaultOutputIsTheClusterWithItsCaInlineOrItsFingerprint() throws Exception {
        TestCertificates pki = TestCertificates.rsa(Files.createDirectories(root.resolve("pki")));
        JsonNode withCa = BootstrapPolicy.create("https://fleet:8220", flags("--fleet-server-es=https://es:9200",
                "--fleet-server-es-ca=" + pki.caCertificate())).path("outputs").path("default");
        assertThat(withCa.path("hosts").get(0).asText()).isEqualTo("https://es:9200");
        assertThat(withCa.path("ssl").path("certificate_authorities").get(0).asText())
                .startsWith("-----BEGIN CERTIFICATE-----")
                .isEqualTo(Files.readString(pki.caCertificate()).strip());

        JsonNode withFingerprint = BootstrapPolicy.create("https://fleet:8220", flags("--fleet-server-es=https://es:9200",
                "--fleet-server-es-ca-trusted-fingerprint=" + pki.caFingerprint())).path("outputs").path("default");
        assertThat(withFingerprint.path("ssl").path("ca_trusted_fingerprint").asText()).isEqualTo(pki.caFingerprint());
        assertThat(withFingerprint.path("ssl").has("certificate_authorities")).isFalse();

        JsonNode none = BootstrapPolicy.create("https://fleet:8220", flags()).path("outputs").path("default");
        assertThat(none.path("hosts").get(0).asText()).isEqualTo(BootstrapPolicy.NO_ELASTICSEARCH);
        assertThat(none.has("ssl")).isFalse();

        assertThatThrownBy(() -> BootstrapPolicy.create("https://fleet:8220", flags("--fleet-server-es=https://es:9200",
                "--fleet-server-es-ca=" + root.resolve("missing.crt")))).hasMessageContaining("--fleet-server-es-ca")
                .hasMessageContaining("missing.crt");
    }
}
