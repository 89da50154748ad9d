package dev.flotilla.cli.server.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.cli.UserError;
import dev.flotilla.server.store.es.ElasticsearchStoreConfig;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.VerificationMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The --fleet-server-es* flags: what they build and how each mistake is told. */
class ElasticsearchStoreOptionsTest {

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ElasticsearchStoreOptions es;
    }

    @TempDir
    Path temp;

    private static ElasticsearchStoreOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.es;
    }

    @Test
    void caFileFingerprintClientCertificateAndTokenFileBuildTheConfig() throws Exception {
        TestCertificates pki = TestCertificates.rsa(temp);
        TestCertificates.Issued client = pki.client("fleet-server");
        Path token = Files.writeString(temp.resolve("token"), "AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Q6eA\n");

        ElasticsearchStoreConfig config = parse("--fleet-server-es=https://es1:9200,https://es2:9200",
                "--fleet-server-service-token-path=" + token, "--fleet-server-es-ca=" + pki.caCertificate(),
                "--fleet-server-es-ca-trusted-fingerprint=" + pki.caFingerprint(),
                "--fleet-server-es-cert=" + client.certificate(), "--fleet-server-es-cert-key=" + client.key()).config();

        assertThat(config.hosts()).extracting(Object::toString).containsExactly("https://es1:9200", "https://es2:9200");
        assertThat(config.serviceToken()).isEqualTo("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Q6eA");
        assertThat(config.tls().certificateAuthorities()).hasSize(1);
        assertThat(config.tls().caTrustedFingerprint()).isEqualTo(pki.caFingerprint());
        assertThat(config.tls().hasCertificate()).isTrue();
        assertThat(config.toString()).doesNotContain("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Q6eA");
    }

    @Test
    void insecureTurnsVerificationOff() {
        ElasticsearchStoreConfig config = parse("--fleet-server-es=https://es:9200", "--fleet-server-service-token=t",
                "--fleet-server-es-insecure").config();
        assertThat(config.tls().verificationMode()).isEqualTo(VerificationMode.NONE);
    }

    @Test
    void theAgentBootstrapCanBuildTheSameSettingsFromItsOwnFlags() {
        ElasticsearchStoreOptions o = ElasticsearchStoreOptions.of(java.util.List.of("https://es:9200"), "tok", null,
                null, "AB:CD", null, null, false);
        assertThat(o.requested()).isTrue();
        assertThatThrownBy(o::config).isInstanceOf(UserError.class).hasMessageContaining("AB:CD");
        assertThat(ElasticsearchStoreOptions.of(null, null, null, null, null, null, null, false).requested()).isFalse();
    }

    @Test
    void noFlagsMeansNotRequested() {
        assertThat(parse().requested()).isFalse();
        assertThat(parse("--fleet-server-es-insecure").requested()).isTrue();
    }

    @Test
    void eachMistakeNamesItsFlag() throws Exception {
        Path empty = Files.writeString(temp.resolve("empty"), "\n");
        assertThatThrownBy(() -> parse("--fleet-server-es-ca=/x.crt").config()).isInstanceOf(UserError.class)
                .hasMessageContaining("--fleet-server-es is missing");
        assertThatThrownBy(() -> parse("--fleet-server-es=https://es:9200").config())
                .hasMessageContaining("needs a service token").hasMessageContaining("elasticsearch-service-tokens");
        assertThatThrownBy(() -> parse("--fleet-server-es=https://es:9200", "--fleet-server-service-token=t",
                "--fleet-server-service-token-path=" + empty).config()).hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("--fleet-server-es=https://es:9200",
                "--fleet-server-service-token-path=" + empty).config()).hasMessageContaining("is empty");
        assertThatThrownBy(() -> parse("--fleet-server-es=https://es:9200", "--fleet-server-service-token-path="
                + temp.resolve("absent")).config()).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> parse("--fleet-server-es=http://es:9200", "--fleet-server-service-token=t",
                "--fleet-server-es-ca=/x.crt").config()).hasMessageContaining("use https://");
        assertThatThrownBy(() -> parse("--fleet-server-es=es:9200", "--fleet-server-service-token=t").config())
                .hasMessageContaining("is not a URL");
        assertThatThrownBy(() -> parse("--fleet-server-es=https://es:9200", "--fleet-server-service-token=t",
                "--fleet-server-es-cert=/c.crt").config()).hasMessageContaining("go together");
        assertThatThrownBy(() -> parse("--fleet-server-es=https://es:9200", "--fleet-server-service-token=t",
                "--fleet-server-es-ca=" + temp.resolve("missing-ca.crt")).connect()).isInstanceOf(UserError.class)
                .hasMessageContaining("missing-ca.crt");
    }
}
