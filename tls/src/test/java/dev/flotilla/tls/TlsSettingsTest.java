package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    private static final String FP = "405de11995528a8194fa41ea85fb05b981a7804d2e23f16c4f55ac887688fe27";
    private static final String PIN = "Plby4VScD96PZsC/wUOY8niZ86UjDkq6NJMX3TccfzQ=";

    @Test
    void defaultsAreElastics() {
        TlsSettings s = TlsSettings.defaults();
        assertThat(s.enabled()).isTrue();
        assertThat(s.verificationMode()).isEqualTo(VerificationMode.FULL);
        assertThat(s.supportedProtocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(s.effectiveClientAuthentication()).isEqualTo(ClientAuthentication.NONE);
        assertThat(s.certificateAuthorities()).isEmpty();
    }

    @Test
    void clientAuthenticationIsRequiredOnceCasAreSetUnlessSaidOtherwise() {
        TlsSettings s = TlsSettings.builder().addCertificateAuthority("/etc/ca.crt").build();
        assertThat(s.clientAuthentication()).isNull();
        assertThat(s.effectiveClientAuthentication()).isEqualTo(ClientAuthentication.REQUIRED);
        assertThat(s.toBuilder().clientAuthentication(ClientAuthentication.OPTIONAL).build()
                .effectiveClientAuthentication()).isEqualTo(ClientAuthentication.OPTIONAL);
        assertThatThrownBy(() -> TlsSettings.builder().clientAuthentication(ClientAuthentication.REQUIRED).build())
                .isInstanceOf(TlsException.class).hasMessageContaining("needs ssl.certificate_authorities");
    }

    @Test
    void nestedDottedAndPrefixedKeysReadTheSame() {
        Map<String, Object> nested = Map.of("ssl", Map.of("certificate", "/c.crt", "key", "/c.key",
                "certificate_authorities", List.of("/ca.crt"), "verification_mode", "certificate",
                "key_passphrase_path", "/pass"));
        Map<String, Object> dotted = Map.of("ssl.certificate", "/c.crt", "ssl.key", "/c.key",
                "ssl.certificate_authorities", "/ca.crt", "ssl.verification_mode", "Certificate",
                "ssl.key_passphrase_path", "/pass");
        Map<String, Object> bare = Map.of("certificate", "/c.crt", "key", "/c.key",
                "certificate_authorities", List.of("/ca.crt"), "verification_mode", "CERTIFICATE",
                "key_passphrase_path", "/pass");
        TlsSettings a = TlsSettings.fromMap(nested, "fleet-server.yml");
        assertThat(a).isEqualTo(TlsSettings.fromMap(dotted, "x")).isEqualTo(TlsSettings.fromMap(bare, "y"));
        assertThat(a.verificationMode()).isEqualTo(VerificationMode.CERTIFICATE);
        assertThat(a.keyPassphrasePath()).isEqualTo(Path.of("/pass"));
        assertThat(a.certificateAuthorities()).containsExactly("/ca.crt");
    }

    @Test
    void everyKeyIsRead() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", "true");
        m.put("certificate", "/c.crt");
        m.put("key", "/c.key");
        m.put("key_passphrase", "pw");
        m.put("certificate_authorities", List.of("/a.crt", "/b.crt"));
        m.put("client_authentication", "optional");
        m.put("verification_mode", "strict");
        m.put("ca_trusted_fingerprint", FP);
        m.put("ca_sha256", PIN);
        m.put("supported_protocols", List.of("TLSv1.3"));
        m.put("cipher_suites", List.of("ECDHE-RSA-AES-128-GCM-SHA256", "TLS-AES-256-GCM-SHA384",
                "ECDHE-ECDSA-CHACHA20-POLY1305"));
        m.put("curve_types", List.of("P-256", "x25519", "secp384r1"));
        m.put("renegotiation", "never");
        TlsSettings s = TlsSettings.fromMap(Map.of("ssl", m), "agent.yml");
        assertThat(s.keyPassphrase()).isEqualTo("pw");
        assertThat(s.certificateAuthorities()).containsExactly("/a.crt", "/b.crt");
        assertThat(s.clientAuthentication()).isEqualTo(ClientAuthentication.OPTIONAL);
        assertThat(s.verificationMode()).isEqualTo(VerificationMode.STRICT);
        assertThat(s.caTrustedFingerprint()).isEqualTo(FP);
        assertThat(s.caSha256()).containsExactly(PIN);
        assertThat(s.supportedProtocols()).containsExactly("TLSv1.3");
        assertThat(s.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(s.curveTypes()).containsExactly("P-256", "X25519", "P-384");
        assertThat(s.source()).isEqualTo("agent.yml");
    }

    @Test
    void wrongValuesNameTheSettingAndTheChoices() {
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("verification_mode", "ful"), "agent.yml"))
                .isInstanceOf(TlsException.class).hasMessageContaining("agent.yml")
                .hasMessageContaining("ssl.verification_mode: 'ful'").hasMessageContaining("full, strict, certificate, none");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("ssl.verifcation_mode", "full"), "agent.yml"))
                .hasMessageContaining("unknown setting ssl.verifcation_mode").hasMessageContaining("ssl.verification_mode");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("client_authentication", "yes"), "s"))
                .hasMessageContaining("none, optional, required");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("supported_protocols", List.of("SSLv3")), "s"))
                .hasMessageContaining("ssl.supported_protocols: 'SSLv3'");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("cipher_suites", List.of("RC4-SHA")), "s"))
                .hasMessageContaining("ssl.cipher_suites: 'RC4-SHA'").hasMessageContaining("ECDHE-RSA-AES-128-GCM-SHA256");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("curve_types", "P-192"), "s"))
                .hasMessageContaining("ssl.curve_types: 'P-192'");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("ca_trusted_fingerprint", "abc"), "s"))
                .hasMessageContaining("ssl.ca_trusted_fingerprint").hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("ca_sha256", FP), "s"))
                .hasMessageContaining("ssl.ca_sha256").hasMessageContaining("base64");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("renegotiation", "sometimes"), "s"))
                .hasMessageContaining("ssl.renegotiation: 'sometimes'");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("enabled", "maybe"), "s"))
                .hasMessageContaining("ssl.enabled: 'maybe' (expected: true or false)");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("certificate", List.of("a", "b")), "s"))
                .hasMessageContaining("ssl.certificate: expected a single value");
        assertThatThrownBy(() -> TlsSettings.fromMap(Map.of("ssl", Map.of("key", "/k"), "ssl.key", "/k"), "s"))
                .hasMessageContaining("ssl.key is given twice");
    }

    @Test
    void halfPairsAndDoublePassphrasesAreRefused() {
        assertThatThrownBy(() -> TlsSettings.builder().certificate("/c.crt").build())
                .hasMessageContaining("ssl.certificate is set but ssl.key is not");
        assertThatThrownBy(() -> TlsSettings.builder().key("/c.key").build())
                .hasMessageContaining("ssl.key is set but ssl.certificate is not");
        assertThatThrownBy(() -> TlsSettings.builder().certificate("/c").key("/k").keyPassphrase("a")
                .keyPassphrasePath(Path.of("/p")).build()).hasMessageContaining("keep only one");
    }

    @Test
    void fingerprintsWithColonsAndUpperCaseAreNormalized() {
        String colons = FP.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        assertThat(TlsSettings.builder().caTrustedFingerprint(colons).build().caTrustedFingerprint()).isEqualTo(FP);
        assertThat(TlsSettings.builder().caTrustedFingerprint(FP).build().caTrustedFingerprint()).isEqualTo(FP);
    }

    @Test
    void redactedHidesSecretsAndInlineKeys() {
        String inlineKey = "-----BEGIN PRIVATE KEY-----\nMIIEsecretsecret\n-----END PRIVATE KEY-----\n";
        TlsSettings s = TlsSettings.builder().certificate("/c.crt").key(inlineKey).keyPassphrase("hunter2")
                .addCertificateAuthority("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").build();
        String text = s.toString() + s.redacted();
        assertThat(text).doesNotContain("hunter2").doesNotContain("secretsecret").doesNotContain("MIIB")
                .contains("key_passphrase=<redacted>").contains("<inline PEM key, redacted>")
                .contains("certificate=/c.crt").contains("<inline PEM certificate>")
                .contains("client_authentication=required");
    }

    @Test
    void disabledSettingsMakeNoContexts() {
        TlsSettings off = TlsSettings.fromMap(Map.of("enabled", false), "agent.yml");
        assertThat(off.enabled()).isFalse();
        assertThatThrownBy(() -> ClientTls.create(off, "agent -> Fleet Server"))
                .hasMessageContaining("ssl.enabled is false");
        assertThatThrownBy(() -> ServerTls.create(off, "Fleet Server")).hasMessageContaining("ssl.enabled is false");
        assertThatThrownBy(() -> ServerTls.create(TlsSettings.defaults(), "Fleet Server"))
                .hasMessageContaining("needs ssl.certificate and ssl.key");
    }
}
