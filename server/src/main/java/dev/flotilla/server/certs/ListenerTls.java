package dev.flotilla.server.certs;

import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Turns the seed's Fleet Server flags ({@code --fleet-server-cert}, {@code --fleet-server-cert-key},
 * {@code --fleet-server-cert-key-passphrase}, {@code --certificate-authorities}, {@code --fleet-server-client-auth})
 * and an optional {@code ssl} block from a config file into the listener's {@link TlsSettings}. Without a
 * certificate anywhere, {@link ServerCertificates} finds a system-level one or generates a self-signed one.
 * Used by {@code flotilla server}, the quickstart and the agent's Fleet Server bootstrap.
 */
public final class ListenerTls {

    /** The flags as given (null: not given). */
    public record Flags(Path certificate, Path key, Path keyPassphraseFile, List<String> certificateAuthorities,
                        ClientAuthentication clientAuthentication) {
        public Flags {
            certificateAuthorities = certificateAuthorities == null ? List.of() : List.copyOf(certificateAuthorities);
        }

        public static Flags none() {
            return new Flags(null, null, null, List.of(), null);
        }
    }

    /** The settings to serve with, and the certificate files found or generated when none was configured. */
    public record Resolved(TlsSettings settings, ServerCertificates.Found fallback) {
        public String describe() {
            String cert = settings.certificate();
            return "certificate " + cert + ", client authentication "
                    + settings.effectiveClientAuthentication().settingValue()
                    + (fallback == null ? "" : " (" + fallback.origin().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }

    private ListenerTls() {
    }

    /**
     * @param fromFile the config file's {@code ssl} settings, or null
     * @param systemDir where system-level certificates are looked for (normally {@link ServerCertificates#SYSTEM_DIR})
     */
    public static Resolved resolve(Flags flags, TlsSettings fromFile, Path dataDir, Path systemDir) {
        Objects.requireNonNull(flags, "flags");
        if (flags.key() != null && flags.certificate() == null) {
            throw new IllegalArgumentException("--fleet-server-cert-key is given without --fleet-server-cert;"
                    + " give both");
        }
        if (flags.certificate() != null && flags.key() == null) {
            throw new IllegalArgumentException("--fleet-server-cert is given without --fleet-server-cert-key;"
                    + " give both");
        }
        if (flags.keyPassphraseFile() != null && flags.key() == null && (fromFile == null || fromFile.key() == null)) {
            throw new IllegalArgumentException("--fleet-server-cert-key-passphrase is given without an encrypted"
                    + " --fleet-server-cert-key");
        }
        boolean anyCa = !flags.certificateAuthorities().isEmpty()
                || (fromFile != null && !fromFile.certificateAuthorities().isEmpty());
        if (flags.clientAuthentication() != null && flags.clientAuthentication() != ClientAuthentication.NONE
                && !anyCa) {
            throw new IllegalArgumentException("--fleet-server-client-auth=" + flags.clientAuthentication()
                    .settingValue() + " needs --certificate-authorities: the CA certificates agents' client"
                    + " certificates chain to");
        }
        TlsSettings.Builder b = fromFile != null ? fromFile.toBuilder() : TlsSettings.builder().source("flags");
        if (flags.certificate() != null) {
            b.certificate(flags.certificate()).key(flags.key());
        }
        if (flags.keyPassphraseFile() != null) {
            b.keyPassphrasePath(flags.keyPassphraseFile());
        }
        if (!flags.certificateAuthorities().isEmpty()) {
            b.certificateAuthorities(flags.certificateAuthorities());
        }
        if (flags.clientAuthentication() != null) {
            b.clientAuthentication(flags.clientAuthentication());
        } else if (fromFile == null) {
            b.clientAuthentication(ClientAuthentication.NONE); // the seed's default for --fleet-server-client-auth
        }
        ServerCertificates.Found fallback = null;
        if (flags.certificate() == null && (fromFile == null || !fromFile.hasCertificate())) {
            fallback = ServerCertificates.findOrGenerate(systemDir, dataDir);
            b.certificate(fallback.certificate()).key(fallback.key());
        }
        return new Resolved(b.build(), fallback);
    }
}
