package dev.flotilla.eslocal;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The PEM files a node serves HTTPS with: the CA certificate, the node's certificate file (leaf then CA, so the
 * node presents its CA and a {@code ca_trusted_fingerprint} can match it, as with certutil's HTTP certificates)
 * and its unencrypted PKCS#8 key.
 */
public record NodeCertificates(Path caCertificate, Path nodeCertificate, Path nodeKey) {

    public static final String NODE_CERTIFICATE = "node.crt";
    public static final String NODE_KEY = "node.key";

    /**
     * The node certificate in {@code dir} signed by {@code ca} (whose certificate is in {@code caCertificate}):
     * kept when one is there and still verifies against that CA, else issued anew for the given names (valid 3
     * years, RSA 2048; key mode 600).
     */
    public static NodeCertificates signedBy(Credential ca, Path caCertificate, Path dir, List<String> dns,
                                            List<String> ips) {
        Path crt = dir.resolve(NODE_CERTIFICATE);
        Path key = dir.resolve(NODE_KEY);
        if (Files.isRegularFile(crt) && Files.isRegularFile(key) && issuedBy(crt, ca.certificate())) {
            return new NodeCertificates(caCertificate, crt, key);
        }
        Credential node = CertificateBuilder.forLeaf(dns.isEmpty() ? "elasticsearch" : dns.get(0)).dns(dns).ips(ips)
                .keySpec(KeySpec.rsa(2048)).days(3 * 365).signedBy(ca).build();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(crt);
            Files.deleteIfExists(key);
            PrivateFiles.writeNew(key, Pem.privateKey(node.key()).getBytes(StandardCharsets.US_ASCII));
            Files.writeString(crt, Pem.certificate(node.certificate()) + Pem.certificate(ca.certificate()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Elasticsearch node certificate into " + dir + ": "
                    + e.getMessage(), e);
        }
        return new NodeCertificates(caCertificate, crt, key);
    }

    /** The CA certificate as parsed X.509. */
    public X509Certificate ca() {
        return Pem.readCertificates(caCertificate).get(0);
    }

    /** Lower-case hex SHA-256 of the CA certificate's DER, as {@code ca_trusted_fingerprint} wants it. */
    public String caFingerprint() {
        return Fingerprints.sha256Hex(ca());
    }

    private static boolean issuedBy(Path crt, X509Certificate ca) {
        try {
            X509Certificate leaf = Pem.readCertificates(crt).get(0);
            leaf.verify(ca.getPublicKey());
            leaf.checkValidity();
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
