package dev.flotilla.testing.es;

import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.testing.TestCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * The PEM files of a test cluster's TLS: the CA that signed everything, the node's HTTP certificate
 * (SANs {@code localhost} and {@code 127.0.0.1}; the file holds the leaf then the CA, so that the node presents its
 * CA and a {@code ca_trusted_fingerprint} can match it, as with certutil's HTTP certificates) and a client
 * certificate for mutual TLS (CN {@code fleet-server}). Keys are unencrypted PKCS#8, mode 600.
 */
public record ClusterCertificates(Path caCertificate, Path caKey, Path nodeCertificate, Path nodeKey,
                                  Path clientCertificate, Path clientKey) {

    /** A fresh RSA CA named {@code caName} in {@code dir}, with a node and a client certificate it signed. */
    public static ClusterCertificates create(Path dir, String caName) {
        TestCertificates pki = TestCertificates.create(dir, KeySpec.rsa(2048), caName);
        TestCertificates.Issued node = pki.server("localhost");
        TestCertificates.Issued client = pki.client("fleet-server");
        return new ClusterCertificates(pki.caCertificate(), pki.caKey(), node.chain(), node.key(),
                client.certificate(), client.key());
    }

    /** The CA certificate as parsed X.509. */
    public X509Certificate ca() {
        return Pem.readCertificates(caCertificate).get(0);
    }

    /** Lower-case hex SHA-256 of the CA certificate's DER, as {@code ca_trusted_fingerprint} wants it. */
    public String caFingerprint() {
        return Fingerprints.sha256Hex(ca());
    }
}
