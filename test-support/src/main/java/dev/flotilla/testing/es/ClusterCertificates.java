package dev.flotilla.testing.es;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The PEM files of a test cluster's TLS: the CA that signed everything, the node's HTTP certificate
 * (SANs {@code localhost} and {@code 127.0.0.1}) and a client certificate for mutual TLS (CN {@code fleet-server}).
 * Keys are unencrypted PKCS#8, mode 600.
 */
public record ClusterCertificates(Path caCertificate, Path caKey, Path nodeCertificate, Path nodeKey,
                                  Path clientCertificate, Path clientKey) {

    /** The CA certificate as parsed X.509. */
    public X509Certificate ca() {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException("Bad CA certificate " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    /** Lower-case hex SHA-256 of the CA certificate's DER, as {@code ca_trusted_fingerprint} wants it. */
    public String caFingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca().getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
