package dev.flotilla.testing;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.Pkcs12;
import dev.flotilla.pki.PrivateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Test fixture: a CA in a temp directory that issues server and client certificates as PEM files.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * TestCertificates pki = TestCertificates.rsa(dir);          // dir/ca.crt, dir/ca.key
 * TestCertificates.Issued server = pki.server("localhost");  // dir/localhost.crt (.key), SANs localhost, 127.0.0.1, ::1
 * TestCertificates.Issued client = pki.client("agent-1");    // dir/agent-1.crt (.key)
 * TestCertificates other = pki.otherCa("evil");              // an unrelated CA in dir/evil/, for negative tests
 * }</pre>
 *
 * Every leaf serves both as server and client certificate (serverAuth + clientAuth). Keys are PKCS#8 PEM, mode 600.
 */
public final class TestCertificates {

    private final Path dir;
    private final KeySpec keySpec;
    private final Credential ca;
    private final Path caCertificate;
    private final Path caKey;

    private TestCertificates(Path dir, KeySpec keySpec, String caName) {
        this.dir = dir;
        this.keySpec = keySpec;
        this.ca = CertificateBuilder.forCa("CN=" + caName).keySpec(keySpec).build();
        this.caCertificate = write(dir.resolve("ca.crt"), Pem.certificate(ca.certificate()));
        this.caKey = write(dir.resolve("ca.key"), Pem.privateKey(ca.key()));
    }

    /** A CA with RSA 2048 keys (its leaves too) writing into {@code dir}. */
    public static TestCertificates rsa(Path dir) {
        return create(dir, KeySpec.rsa(2048), "Flotilla Test CA");
    }

    /** A CA with EC P-256 keys (its leaves too) writing into {@code dir}. */
    public static TestCertificates ec(Path dir) {
        return create(dir, KeySpec.ec("P-256"), "Flotilla Test CA");
    }

    public static TestCertificates create(Path dir, KeySpec keySpec, String caName) {
        return new TestCertificates(dir, keySpec, caName);
    }

    /** Another, unrelated CA (same key kind) in {@code dir/<name>/}: certificates it issues must be rejected. */
    public TestCertificates otherCa(String name) {
        return new TestCertificates(dir.resolve(name), keySpec, "Other CA " + name);
    }

    public Credential ca() {
        return ca;
    }

    /** The CA certificate PEM file ({@code ca.crt}), what {@code certificate_authorities} takes. */
    public Path caCertificate() {
        return caCertificate;
    }

    public Path caKey() {
        return caKey;
    }

    /** The CA certificate's SHA-256 fingerprint (hex), what {@code ca_trusted_fingerprint} takes. */
    public String caFingerprint() {
        return Fingerprints.sha256Hex(ca.certificate());
    }

    /** The directory the files are written to. */
    public Path dir() {
        return dir;
    }

    /** A server certificate for {@code name} with SANs DNS:name, DNS:localhost, IP:127.0.0.1 and IP:::1. */
    public Issued server(String name) {
        return issue(name, b -> b.dns(name.equals("localhost") ? List.of("localhost") : List.of(name, "localhost"))
                .ips(List.of("127.0.0.1", "::1")));
    }

    /** A server certificate with exactly the given DNS names and IPs. */
    public Issued server(String name, List<String> dns, List<String> ips) {
        return issue(name, b -> b.dns(dns).ips(ips));
    }

    /** A client certificate {@code CN=name} without SANs. */
    public Issued client(String name) {
        return issue(name, UnaryOperator.identity());
    }

    /** A server certificate for localhost that expired yesterday. */
    public Issued expired(String name) {
        Instant now = Instant.now();
        return issue(name, b -> b.dns(List.of("localhost")).ips(List.of("127.0.0.1", "::1"))
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
    }

    /** A self-signed leaf for localhost (no CA behind it). */
    public Issued selfSigned(String name) {
        Credential c = CertificateBuilder.forLeaf(name).keySpec(keySpec).dns(List.of("localhost"))
                .ips(List.of("127.0.0.1", "::1")).build();
        return files(name, c);
    }

    /** A leaf signed by this CA, shaped by {@code customize} (e.g. other SANs, validity, key kind). */
    public Issued issue(String name, UnaryOperator<CertificateBuilder> customize) {
        CertificateBuilder b = CertificateBuilder.forLeaf(name).keySpec(keySpec).signedBy(ca);
        return files(name, customize.apply(b).build());
    }

    private Issued files(String name, Credential c) {
        Path crt = write(dir.resolve(name + ".crt"), Pem.certificate(c.certificate()));
        Path key = write(dir.resolve(name + ".key"), Pem.privateKey(c.key()));
        Path chain = write(dir.resolve(name + "-chain.crt"), Pem.certificates(c.chain()));
        return new Issued(name, c, crt, key, chain, dir);
    }

    private static Path write(Path file, String content) {
        PrivateFiles.writeNew(file, content.getBytes(StandardCharsets.US_ASCII));
        return file;
    }

    /**
     * An issued certificate and its files.
     *
     * @param certificate PEM file with the leaf only
     * @param key PKCS#8 PEM key file
     * @param chain PEM file with leaf then CA
     */
    public record Issued(String name, Credential credential, Path certificate, Path key, Path chain, Path dir) {

        /** Writes the key encrypted (PKCS#8, AES-256) to {@code <name>.enc.key} and returns that file. */
        public Path encryptedKey(String passphrase) {
            return write(dir.resolve(name + ".enc.key"), Pem.encryptedPrivateKey(credential.key(),
                    passphrase.toCharArray()));
        }

        /** Writes the key, certificate and chain as PKCS#12 ({@code <name>.p12}, alias = name). */
        public Path pkcs12(String password) {
            Path p12 = dir.resolve(name + ".p12");
            Pkcs12.write(p12, name, credential, password.toCharArray());
            return p12;
        }

        public String sha256() {
            return Fingerprints.sha256Hex(credential.certificate());
        }
    }
}
