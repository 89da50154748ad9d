package dev.flotilla.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The two ways Elastic pins a certificate: {@code ca_trusted_fingerprint} (SHA-256 of the certificate DER, hex)
 * and {@code ca_sha256} (SHA-256 of the SubjectPublicKeyInfo, base64).
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding, no colons. */
    public static String sha256Hex(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(sha256(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot encode certificate " + certificate.getSubjectX500Principal()
                    + " to compute its fingerprint: " + e.getMessage(), e);
        }
    }

    /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo (an HPKP-style pin, Elastic's {@code ca_sha256}). */
    public static String spkiSha256Base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(sha256(certificate.getPublicKey().getEncoded()));
    }

    /**
     * Normalizes a SHA-256 fingerprint as people paste it (colons, spaces, any case) to 64 lower-case hex digits.
     *
     * @throws PkiException when what remains is not 64 hex digits
     */
    public static String normalizeHex(String fingerprint) {
        if (fingerprint == null) {
            throw new PkiException("no fingerprint given (expected: 64 hex digits, the SHA-256 of the CA "
                    + "certificate; 'flotilla certutil fingerprint ca.crt' prints it)");
        }
        String hex = fingerprint.replaceAll("[:\\s-]", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new PkiException("'" + fingerprint + "' is not a SHA-256 fingerprint (expected: 64 hex digits, "
                    + "colons allowed; 'flotilla certutil fingerprint ca.crt' prints it)");
        }
        return hex;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
