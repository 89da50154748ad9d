package dev.flotilla.tls.internal;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.pki.KeyMatch;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PkiException;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the certificates, key and CAs named by {@link TlsSettings} through pki, with errors naming hop and setting. */
public final class KeyMaterial {

    private static final Logger log = LoggerFactory.getLogger(KeyMaterial.class);
    private static final Set<Path> TRIMMED_LOGGED = ConcurrentHashMap.newKeySet();

    private KeyMaterial() {
    }

    /** A certificate chain (leaf first) and the key that belongs to its leaf. */
    public record Identity(List<X509Certificate> chain, PrivateKey key) {
        public Identity {
            chain = List.copyOf(chain);
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    /** The certificate chain and key of {@code ssl.certificate} / {@code ssl.key}; null when not configured. */
    public static Identity identity(TlsSettings s, String hop) {
        if (!s.hasCertificate()) {
            return null;
        }
        List<X509Certificate> chain = certificates(s.certificate(), "ssl.certificate", hop);
        PrivateKey key = privateKey(s, hop);
        try {
            KeyMatch.check(chain.get(0), key, "ssl.certificate " + where(s.certificate()) + " + ssl.key "
                    + where(s.key()));
        } catch (PkiException e) {
            throw new TlsException(hop + ": " + e.getMessage(), e);
        }
        return new Identity(chain, key);
    }

    /** Every CA certificate of {@code ssl.certificate_authorities}, in order. */
    public static List<X509Certificate> authorities(TlsSettings s, String hop) {
        List<X509Certificate> out = new ArrayList<>();
        for (String ca : s.certificateAuthorities()) {
            out.addAll(certificates(ca, "ssl.certificate_authorities", hop));
        }
        return List.copyOf(out);
    }

    /** Certificates from a file path or an inline PEM text. */
    public static List<X509Certificate> certificates(String pathOrPem, String setting, String hop) {
        try {
            if (Pem.looksLikePem(pathOrPem)) {
                return Pem.parseCertificates(pathOrPem, "inline PEM of " + setting);
            }
            return Pem.readCertificates(Path.of(pathOrPem));
        } catch (PkiException e) {
            throw new TlsException(hop + ": " + setting + ": " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(TlsSettings s, String hop) {
        char[] passphrase = passphrase(s, hop);
        try {
            if (Pem.looksLikePem(s.key())) {
                return Pem.parsePrivateKey(s.key(), passphrase, "inline PEM of ssl.key");
            }
            return Pem.readPrivateKey(Path.of(s.key()), passphrase);
        } catch (PkiException e) {
            String hint = passphrase == null ? "" : " (the passphrase came from "
                    + (s.keyPassphrasePath() != null ? "ssl.key_passphrase_path " + s.keyPassphrasePath()
                    : "ssl.key_passphrase") + ")";
            throw new TlsException(hop + ": ssl.key: " + e.getMessage() + hint, e);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** The key passphrase; from a file, one trailing newline (LF or CRLF) is dropped and that is logged once. */
    static char[] passphrase(TlsSettings s, String hop) {
        if (s.keyPassphrase() != null) {
            return s.keyPassphrase().toCharArray();
        }
        Path file = s.keyPassphrasePath();
        if (file == null) {
            return null;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TlsException(hop + ": ssl.key_passphrase_path: cannot read " + file + " (" + e
                    + "); check the path and that this user may read it", e);
        }
        String trimmed = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (trimmed.length() != text.length() && TRIMMED_LOGGED.add(file.toAbsolutePath())) {
            log.info("{}: ignoring the trailing newline of ssl.key_passphrase_path {} (the passphrase is the text "
                    + "before it)", hop, file);
        }
        if (trimmed.isEmpty()) {
            throw new TlsException(hop + ": ssl.key_passphrase_path: " + file + " is empty; write the key passphrase "
                    + "into it");
        }
        return trimmed.toCharArray();
    }

    /** The files behind the settings (not inline PEM), to watch for changes. */
    public static List<Path> files(TlsSettings s) {
        List<Path> files = new ArrayList<>();
        addFile(files, s.certificate());
        addFile(files, s.key());
        if (s.keyPassphrasePath() != null) {
            files.add(s.keyPassphrasePath());
        }
        s.certificateAuthorities().forEach(ca -> addFile(files, ca));
        return List.copyOf(files);
    }

    private static void addFile(List<Path> files, String pathOrPem) {
        if (pathOrPem != null && !Pem.looksLikePem(pathOrPem)) {
            files.add(Path.of(pathOrPem));
        }
    }

    /** "file /x/y.crt" or "(inline PEM)". */
    public static String where(String pathOrPem) {
        return pathOrPem == null ? "(not set)" : Pem.looksLikePem(pathOrPem) ? "(inline PEM)" : pathOrPem;
    }

    /** One line per certificate, for messages. */
    public static String describe(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < certs.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append('[').append(i).append("] ")
                    .append(CertificateInfo.describe(certs.get(i)));
        }
        return sb.toString();
    }
}
