package dev.flotilla.tls;

import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PkiException;
import dev.flotilla.tls.internal.CipherSuites;
import dev.flotilla.tls.internal.Curves;
import dev.flotilla.tls.internal.Protocols;
import dev.flotilla.tls.internal.SettingsMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ssl.*} settings of one hop, with Elastic's names and defaults. Immutable; made by {@link #builder()}
 * or {@link #fromMap(Map, String)}. Values are checked when set, so a built instance is always usable as far as
 * the settings alone can tell (files are read by {@link ServerTls} and {@link ClientTls}).
 *
 * <p>{@code certificate}, {@code key} and each {@code certificate_authorities} entry are a file path or inline PEM.
 */
public final class TlsSettings {

    private static final Logger log = LoggerFactory.getLogger(TlsSettings.class);
    private static final TlsSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final String certificate;
    private final String key;
    private final String keyPassphrase;
    private final Path keyPassphrasePath;
    private final List<String> certificateAuthorities;
    private final ClientAuthentication clientAuthentication;
    private final VerificationMode verificationMode;
    private final String caTrustedFingerprint;
    private final List<String> caSha256;
    private final List<String> supportedProtocols;
    private final List<String> cipherSuites;
    private final List<String> curveTypes;
    private final String source;

    private TlsSettings(Builder b) {
        this.enabled = b.enabled;
        this.certificate = b.certificate;
        this.key = b.key;
        this.keyPassphrase = b.keyPassphrase;
        this.keyPassphrasePath = b.keyPassphrasePath;
        this.certificateAuthorities = List.copyOf(b.certificateAuthorities);
        this.clientAuthentication = b.clientAuthentication;
        this.verificationMode = b.verificationMode;
        this.caTrustedFingerprint = b.caTrustedFingerprint;
        this.caSha256 = List.copyOf(b.caSha256);
        this.supportedProtocols = List.copyOf(b.supportedProtocols);
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.curveTypes = List.copyOf(b.curveTypes);
        this.source = b.source;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Everything at its default: TLS on, verification_mode full, system CAs, TLSv1.2 and TLSv1.3. */
    public static TlsSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Reads a YAML/JSON {@code ssl} map. Keys may be nested ({@code {ssl: {certificate: ...}}}) or dotted
     * ({@code ssl.certificate}), with or without the {@code ssl.} prefix. Unknown keys are rejected with the list of
     * known ones.
     *
     * @param source where the map came from, for messages (e.g. "fleet-server.yml output.elasticsearch.ssl")
     */
    public static TlsSettings fromMap(Map<String, ?> ssl, String source) {
        return SettingsMap.read(ssl, source);
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.certificate = certificate;
        b.key = key;
        b.keyPassphrase = keyPassphrase;
        b.keyPassphrasePath = keyPassphrasePath;
        b.certificateAuthorities.addAll(certificateAuthorities);
        b.clientAuthentication = clientAuthentication;
        b.verificationMode = verificationMode;
        b.caTrustedFingerprint = caTrustedFingerprint;
        b.caSha256.addAll(caSha256);
        b.supportedProtocols = supportedProtocols;
        b.cipherSuites = cipherSuites;
        b.curveTypes = curveTypes;
        b.source = source;
        return b;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Path or inline PEM of the certificate (chain, leaf first); null when not set. */
    public String certificate() {
        return certificate;
    }

    /** Path or inline PEM of the private key; null when not set. */
    public String key() {
        return key;
    }

    /** The passphrase given inline; null when not set. Never log it. */
    public String keyPassphrase() {
        return keyPassphrase;
    }

    public Path keyPassphrasePath() {
        return keyPassphrasePath;
    }

    /** Paths or inline PEM texts; empty means the system trust store (client) or no client CAs (server). */
    public List<String> certificateAuthorities() {
        return certificateAuthorities;
    }

    /** The value set explicitly, or null; see {@link #effectiveClientAuthentication()}. */
    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /** Explicit value, else {@code required} when certificate_authorities are set, else {@code none}. */
    public ClientAuthentication effectiveClientAuthentication() {
        if (clientAuthentication != null) {
            return clientAuthentication;
        }
        return certificateAuthorities.isEmpty() ? ClientAuthentication.NONE : ClientAuthentication.REQUIRED;
    }

    public VerificationMode verificationMode() {
        return verificationMode;
    }

    /** 64 lower-case hex digits, or null. */
    public String caTrustedFingerprint() {
        return caTrustedFingerprint;
    }

    /** Base64 SHA-256 SubjectPublicKeyInfo pins; empty when not set. */
    public List<String> caSha256() {
        return caSha256;
    }

    /** Elastic spelling: TLSv1.2, TLSv1.3, ... */
    public List<String> supportedProtocols() {
        return supportedProtocols;
    }

    /** IANA names; empty means the engine's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** P-256, P-384, P-521, X25519; empty means the engine's defaults. */
    public List<String> curveTypes() {
        return curveTypes;
    }

    /** Where these settings came from (a file and key path), for messages; may be "ssl". */
    public String source() {
        return source;
    }

    /** True when a client certificate (or a server certificate) and key are configured. */
    public boolean hasCertificate() {
        return certificate != null;
    }

    /** The settings with Elastic's names, secrets and inline key material replaced, for logs. */
    public Map<String, Object> redacted() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        putIfSet(m, "certificate", describe(certificate, "certificate"));
        putIfSet(m, "key", key == null ? null : Pem.looksLikePem(key) ? "<inline PEM key, redacted>" : key);
        putIfSet(m, "key_passphrase", keyPassphrase == null ? null : "<redacted>");
        putIfSet(m, "key_passphrase_path", keyPassphrasePath);
        if (!certificateAuthorities.isEmpty()) {
            m.put("certificate_authorities",
                    certificateAuthorities.stream().map(ca -> describe(ca, "certificate")).toList());
        }
        m.put("client_authentication", effectiveClientAuthentication().settingValue());
        m.put("verification_mode", verificationMode.settingValue());
        putIfSet(m, "ca_trusted_fingerprint", caTrustedFingerprint);
        if (!caSha256.isEmpty()) {
            m.put("ca_sha256", caSha256);
        }
        m.put("supported_protocols", supportedProtocols);
        if (!cipherSuites.isEmpty()) {
            m.put("cipher_suites", cipherSuites);
        }
        if (!curveTypes.isEmpty()) {
            m.put("curve_types", curveTypes);
        }
        return Collections.unmodifiableMap(m);
    }

    private static String describe(String pathOrPem, String what) {
        if (pathOrPem == null) {
            return null;
        }
        return Pem.looksLikePem(pathOrPem) ? "<inline PEM " + what + ">" : pathOrPem;
    }

    private static void putIfSet(Map<String, Object> m, String name, Object value) {
        if (value != null) {
            m.put(name, value);
        }
    }

    /** The redacted form; secrets never appear. */
    @Override
    public String toString() {
        return "TlsSettings" + redacted();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsSettings t && enabled == t.enabled && Objects.equals(certificate, t.certificate)
                && Objects.equals(key, t.key) && Objects.equals(keyPassphrase, t.keyPassphrase)
                && Objects.equals(keyPassphrasePath, t.keyPassphrasePath)
                && certificateAuthorities.equals(t.certificateAuthorities)
                && clientAuthentication == t.clientAuthentication && verificationMode == t.verificationMode
                && Objects.equals(caTrustedFingerprint, t.caTrustedFingerprint) && caSha256.equals(t.caSha256)
                && supportedProtocols.equals(t.supportedProtocols) && cipherSuites.equals(t.cipherSuites)
                && curveTypes.equals(t.curveTypes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, certificate, key, keyPassphrasePath, certificateAuthorities,
                clientAuthentication, verificationMode, caTrustedFingerprint, caSha256, supportedProtocols,
                cipherSuites, curveTypes);
    }

    /** Builds {@link TlsSettings}; each setter checks its value and names the setting when it is wrong. */
    public static final class Builder {
        private boolean enabled = true;
        private String certificate;
        private String key;
        private String keyPassphrase;
        private Path keyPassphrasePath;
        private final List<String> certificateAuthorities = new ArrayList<>();
        private ClientAuthentication clientAuthentication;
        private VerificationMode verificationMode = VerificationMode.FULL;
        private String caTrustedFingerprint;
        private final List<String> caSha256 = new ArrayList<>();
        private List<String> supportedProtocols = Protocols.DEFAULT;
        private List<String> cipherSuites = List.of();
        private List<String> curveTypes = List.of();
        private String source = "ssl";

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** A certificate file path or inline PEM (leaf first, then intermediates). */
        public Builder certificate(String pathOrPem) {
            this.certificate = blankToNull(pathOrPem);
            return this;
        }

        public Builder certificate(Path file) {
            return certificate(file == null ? null : file.toString());
        }

        /** A private key file path or inline PEM: PKCS#8, encrypted PKCS#8, PKCS#1/SEC1, legacy DEK-Info. */
        public Builder key(String pathOrPem) {
            this.key = blankToNull(pathOrPem);
            return this;
        }

        public Builder key(Path file) {
            return key(file == null ? null : file.toString());
        }

        public Builder keyPassphrase(String passphrase) {
            this.keyPassphrase = passphrase == null || passphrase.isEmpty() ? null : passphrase;
            return this;
        }

        /** A file holding the passphrase; one trailing newline is ignored. */
        public Builder keyPassphrasePath(Path file) {
            this.keyPassphrasePath = file;
            return this;
        }

        /** Replaces the CA list; each entry a file path or inline PEM. */
        public Builder certificateAuthorities(List<String> pathsOrPem) {
            certificateAuthorities.clear();
            pathsOrPem.forEach(this::addCertificateAuthority);
            return this;
        }

        public Builder addCertificateAuthority(String pathOrPem) {
            String v = blankToNull(pathOrPem);
            if (v == null) {
                throw new TlsException("ssl.certificate_authorities: an entry is empty (expected a file path or "
                        + "inline PEM '-----BEGIN CERTIFICATE-----...')");
            }
            certificateAuthorities.add(v);
            return this;
        }

        public Builder addCertificateAuthority(Path file) {
            return addCertificateAuthority(file.toString());
        }

        /** null restores the default (required when certificate_authorities are set). */
        public Builder clientAuthentication(ClientAuthentication clientAuthentication) {
            this.clientAuthentication = clientAuthentication;
            return this;
        }

        public Builder verificationMode(VerificationMode mode) {
            this.verificationMode = Objects.requireNonNull(mode, "verificationMode");
            return this;
        }

        /**
         * SHA-256 of a CA certificate's DER as hex. Colons and upper case are accepted and normalized (Elastic
         * Agent itself rejects colons, so the normalized form is logged).
         */
        public Builder caTrustedFingerprint(String fingerprint) {
            String v = blankToNull(fingerprint);
            if (v == null) {
                this.caTrustedFingerprint = null;
                return this;
            }
            try {
                this.caTrustedFingerprint = Fingerprints.normalizeHex(v);
            } catch (PkiException e) {
                throw new TlsException("ssl.ca_trusted_fingerprint: " + e.getMessage(), e);
            }
            if (!caTrustedFingerprint.equals(v)) {
                log.info("ssl.ca_trusted_fingerprint in {} normalized to {} (Elastic Agent rejects colons and "
                        + "expects this plain hex form)", source, caTrustedFingerprint);
            }
            return this;
        }

        /** Replaces the SPKI pins; each the base64 SHA-256 of a certificate's SubjectPublicKeyInfo. */
        public Builder caSha256(List<String> pins) {
            caSha256.clear();
            for (String pin : pins) {
                String p = pin == null ? "" : pin.trim();
                byte[] decoded;
                try {
                    decoded = Base64.getDecoder().decode(p);
                } catch (IllegalArgumentException e) {
                    decoded = new byte[0];
                }
                if (decoded.length != 32) {
                    throw new TlsException("ssl.ca_sha256: '" + pin + "' is not a base64 SHA-256 pin (expected 44 "
                            + "characters ending in '='; 'openssl x509 -in ca.crt -pubkey -noout | openssl pkey "
                            + "-pubin -outform der | openssl dgst -sha256 -binary | base64' prints it)");
                }
                caSha256.add(p);
            }
            return this;
        }

        public Builder supportedProtocols(List<String> protocols) {
            this.supportedProtocols = Protocols.normalize(protocols);
            return this;
        }

        /** Elastic names (ECDHE-RSA-AES-128-GCM-SHA256) or IANA names; stored as IANA names. */
        public Builder cipherSuites(List<String> suites) {
            this.cipherSuites = CipherSuites.toIana(suites);
            return this;
        }

        public Builder curveTypes(List<String> curves) {
            this.curveTypes = Curves.normalize(curves);
            return this;
        }

        /** Where the settings come from, for messages (e.g. "fleet-server.yml ssl"). */
        public Builder source(String source) {
            this.source = source == null || source.isBlank() ? "ssl" : source;
            return this;
        }

        /** Checks the settings against each other and builds. */
        public TlsSettings build() {
            if (certificate != null && key == null) {
                throw new TlsException(source + ": ssl.certificate is set but ssl.key is not; give the private key "
                        + "file that belongs to " + describe(certificate, "certificate"));
            }
            if (key != null && certificate == null) {
                throw new TlsException(source + ": ssl.key is set but ssl.certificate is not; give the certificate "
                        + "file that belongs to the key");
            }
            if (keyPassphrase != null && keyPassphrasePath != null) {
                throw new TlsException(source + ": both ssl.key_passphrase and ssl.key_passphrase_path are set; "
                        + "keep only one");
            }
            if ((keyPassphrase != null || keyPassphrasePath != null) && key == null) {
                throw new TlsException(source + ": a key passphrase is set but ssl.key is not");
            }
            if (clientAuthentication != null && clientAuthentication != ClientAuthentication.NONE
                    && certificateAuthorities.isEmpty()) {
                throw new TlsException(source + ": ssl.client_authentication: " + clientAuthentication.settingValue()
                        + " needs ssl.certificate_authorities (the CA certificates that issue client certificates)");
            }
            return new TlsSettings(this);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
