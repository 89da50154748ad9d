package dev.flotilla.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    private static final Credential CA = CertificateBuilder.forCa("CN=Pem CA").keySpec(KeySpec.ec("P-256")).build();
    private static final Credential LEAF = CertificateBuilder.forLeaf("leaf").signedBy(CA).build();

    @TempDir
    Path dir;

    @Test
    void certificatesRoundTrip() {
        String pem = Pem.certificates(LEAF.chain());
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(Pem.looksLikePem(pem)).isTrue();
        assertThat(Pem.looksLikePem("just text")).isFalse();
        assertThat(Pem.parseCertificates(pem, "chain.crt")).containsExactly(LEAF.certificate(), CA.certificate());
    }

    @Test
    void derCertificatesAreReadToo() throws Exception {
        Path der = Files.write(dir.resolve("ca.der"), CA.certificate().getEncoded());
        assertThat(Pem.readCertificates(der)).containsExactly(CA.certificate());
    }

    @Test
    void plainKeysArePkcs8AndRoundTrip() {
        String pem = Pem.privateKey(LEAF.key());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.parsePrivateKey(pem, null, "leaf.key")).isEqualTo(LEAF.key());
        String ec = Pem.privateKey(CA.key());
        assertThat(Pem.parsePrivateKey(ec, null, "ca.key").getEncoded()).isEqualTo(CA.key().getEncoded());
    }

    @Test
    void encryptedKeysNeedTheRightPassphrase() {
        String pem = Pem.encryptedPrivateKey(LEAF.key(), "s3cret".toCharArray());
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Pem.parsePrivateKey(pem, "s3cret".toCharArray(), "leaf.key")).isEqualTo(LEAF.key());
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, "wrong".toCharArray(), "leaf.key"))
                .isInstanceOf(PkiException.class).hasMessageContaining("cannot decrypt the private key in leaf.key")
                .hasMessageContaining("wrong passphrase");
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, null, "leaf.key"))
                .isInstanceOf(PassphraseRequiredException.class)
                .hasMessageContaining("leaf.key is encrypted and no passphrase was given");
        assertThatThrownBy(() -> Pem.encryptedPrivateKey(LEAF.key(), new char[0]))
                .hasMessageContaining("empty passphrase");
    }

    @Test
    void errorsNameTheFileAndTheFix() throws Exception {
        Path key = Files.writeString(dir.resolve("leaf.key"), Pem.privateKey(LEAF.key()));
        assertThatThrownBy(() -> Pem.readCertificates(key)).isInstanceOf(PkiException.class)
                .hasMessageContaining(key + " holds no certificate").hasMessageContaining("key file instead");
        Path crt = Files.writeString(dir.resolve("leaf.crt"), Pem.certificate(LEAF.certificate()));
        assertThatThrownBy(() -> Pem.readPrivateKey(crt, null)).hasMessageContaining(crt + " holds no private key");
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.crt")))
                .hasMessageContaining("missing.crt does not exist");
        Path junk = Files.write(dir.resolve("junk.crt"), "hello".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> Pem.readCertificates(junk)).hasMessageContaining("neither a PEM nor a DER");
        String damaged = Pem.certificate(LEAF.certificate()).replace("A", "*");
        assertThatThrownBy(() -> Pem.parseCertificates(damaged, "inline")).hasMessageContaining("inline");
    }

    @Test
    void privateFilesAreOwnerOnlyAndNeverOverwritten() throws Exception {
        Path f = dir.resolve("sub/key.pem");
        PrivateFiles.writeNew(f, "x".getBytes(StandardCharsets.US_ASCII));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThatThrownBy(() -> PrivateFiles.writeNew(f, "y".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining(f + " already exists and will not be overwritten");
        assertThat(Files.readString(f)).isEqualTo("x");
    }

    @Test
    void fingerprintsAndDescriptions() {
        String hex = Fingerprints.sha256Hex(CA.certificate());
        assertThat(hex).matches("[0-9a-f]{64}");
        String colons = hex.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        assertThat(Fingerprints.normalizeHex(colons)).isEqualTo(hex);
        assertThatThrownBy(() -> Fingerprints.normalizeHex("abc")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> Fingerprints.normalizeHex(hex + "00")).isInstanceOf(PkiException.class);
        assertThat(Fingerprints.spkiSha256Base64(CA.certificate())).hasSize(44).endsWith("=");
        Credential named = CertificateBuilder.forLeaf("n").keySpec(KeySpec.ec("P-256")).dns(List.of("a.example"))
                .ips(List.of("192.0.2.9")).signedBy(CA).build();
        assertThat(CertificateInfo.describe(named.certificate()))
                .startsWith("subject=CN=n, issuer=CN=Pem CA, SANs=[DNS:a.example, IP:192.0.2.9], valid ")
                .endsWith(", sha256=" + Fingerprints.sha256Hex(named.certificate()));
    }

    @Test
    void keyMatchTellsMatchingFromForeignKeys() {
        KeyMatch.check(LEAF.certificate(), LEAF.key(), "leaf");
        assertThat(KeyMatch.matches(CA.certificate(), LEAF.key())).isFalse();
        Credential otherRsa = CertificateBuilder.forLeaf("o").build();
        assertThatThrownBy(() -> KeyMatch.check(LEAF.certificate(), otherRsa.key(), "leaf.crt + other.key"))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("in leaf.crt + other.key does not belong to the certificate (subject=CN=leaf");
    }

    @Test
    void pkcs12RoundTripsAndRejectsWrongPassword() {
        Path p12 = dir.resolve("leaf.p12");
        Pkcs12.write(p12, "instance", LEAF, "pw".toCharArray());
        Credential back = Pkcs12.read(p12, "pw".toCharArray());
        assertThat(back.certificate()).isEqualTo(LEAF.certificate());
        assertThat(back.chain()).containsExactly(LEAF.certificate(), CA.certificate());
        assertThat(back.key().getEncoded()).isEqualTo(LEAF.key().getEncoded());
        assertThatThrownBy(() -> Pkcs12.read(p12, "nope".toCharArray())).isInstanceOf(PkiException.class)
                .hasMessageContaining("wrong password");
        assertThatThrownBy(() -> Pkcs12.read(p12, null)).isInstanceOf(PassphraseRequiredException.class)
                .hasMessageContaining("is protected by a password and none was given");
        assertThatThrownBy(() -> Pkcs12.write(p12, "instance", LEAF, "pw".toCharArray()))
                .hasMessageContaining("already exists");
        Path empty = dir.resolve("ca.p12");
        Pkcs12.write(empty, "ca", CA, new char[0]);
        assertThat(Pkcs12.read(empty, new char[0]).certificate()).isEqualTo(CA.certificate());
    }
}
