package dev.flotilla.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenSSL judges what pki writes, and pki reads what OpenSSL writes. */
class OpensslInteropTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void opensslVerifiesOurChainAndShowsSansAndExtensions(String alg) throws Exception {
        KeySpec spec = KeySpec.parse(alg, null);
        Credential ca = CertificateBuilder.forCa("CN=Interop CA").keySpec(spec).build();
        Credential leaf = CertificateBuilder.forLeaf("fleet-server").keySpec(spec)
                .dns(List.of("your.host.name.here")).ips(List.of("192.0.2.1")).signedBy(ca).build();
        write("ca.crt", Pem.certificate(ca.certificate()));
        write("leaf.crt", Pem.certificate(leaf.certificate()));
        Openssl.run(dir, "verify", "-CAfile", "ca.crt", "leaf.crt").assertOk();
        Openssl.run(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "leaf.crt").assertOk();
        Openssl.run(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "leaf.crt").assertOk();
        // a certificate from another CA must not verify
        Credential other = CertificateBuilder.forCa("CN=Interop CA").keySpec(spec).build();
        write("other.crt", Pem.certificate(other.certificate()));
        assertThat(Openssl.run(dir, "verify", "-CAfile", "other.crt", "leaf.crt").exit()).isNotZero();

        String text = Openssl.run(dir, "x509", "-in", "leaf.crt", "-noout", "-text").assertOk().output();
        assertThat(text).contains("DNS:your.host.name.here", "IP Address:192.0.2.1",
                "TLS Web Server Authentication, TLS Web Client Authentication",
                "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier", "CA:FALSE");
        String caText = Openssl.run(dir, "x509", "-in", "ca.crt", "-noout", "-text").assertOk().output();
        assertThat(caText).contains("X509v3 Basic Constraints: critical", "CA:TRUE", "Certificate Sign, CRL Sign");
    }

    @Test
    void opensslOpensOurEncryptedKeyOnlyWithThePassphrase() throws Exception {
        Credential c = CertificateBuilder.forLeaf("k").keySpec(KeySpec.ec("P-256")).build();
        write("k.key", Pem.encryptedPrivateKey(c.key(), "pass phrase".toCharArray()));
        String out = Openssl.run(dir, "pkey", "-in", "k.key", "-passin", "pass:pass phrase").assertOk().output();
        assertThat(Pem.parsePrivateKey(out, null, "openssl output").getEncoded()).isEqualTo(c.key().getEncoded());
        assertThat(Openssl.run(dir, "pkey", "-in", "k.key", "-passin", "pass:wrong").exit()).isNotZero();
        String info = Openssl.run(dir, "asn1parse", "-in", "k.key").assertOk().output();
        assertThat(info).contains("PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048",
        "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384",
    })
    void readsKeysAndCertificatesThatOpensslMakesInEveryFormat(String genpkey) throws Exception {
        Openssl.run(dir, (genpkey + " -out pkcs8.key").split(" ")).assertOk();
        Openssl.run(dir, "req", "-x509", "-new", "-key", "pkcs8.key", "-subj", "/CN=openssl-made", "-days", "10",
                "-addext", "subjectAltName=DNS:o.example,IP:10.1.2.3", "-out", "o.crt").assertOk();
        var cert = Pem.readCertificates(dir.resolve("o.crt")).get(0);
        assertThat(CertificateInfo.subjectAltNames(cert)).containsExactly("DNS:o.example", "IP:10.1.2.3");
        String fp = Openssl.run(dir, "x509", "-in", "o.crt", "-noout", "-fingerprint", "-sha256").assertOk().output();
        assertThat(Fingerprints.normalizeHex(fp.substring(fp.indexOf('=') + 1).trim()))
                .isEqualTo(Fingerprints.sha256Hex(cert));

        Openssl.run(dir, "pkey", "-in", "pkcs8.key", "-traditional", "-out", "trad.key").assertOk();
        Openssl.run(dir, "pkcs8", "-topk8", "-in", "pkcs8.key", "-passout", "pass:pw", "-out", "enc8.key").assertOk();
        Openssl.run(dir, "pkey", "-in", "pkcs8.key", "-traditional", "-aes256", "-passout", "pass:pw",
                "-out", "legacy.key").assertOk();
        assertThat(Files.readString(dir.resolve("trad.key"))).containsPattern("BEGIN (RSA|EC) PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("legacy.key"))).contains("DEK-Info: AES-256-CBC");

        for (String f : List.of("pkcs8.key", "trad.key")) {
            KeyMatch.check(cert, Pem.readPrivateKey(dir.resolve(f), null), f);
        }
        for (String f : List.of("enc8.key", "legacy.key")) {
            KeyMatch.check(cert, Pem.readPrivateKey(dir.resolve(f), "pw".toCharArray()), f);
            assertThatThrownBy(() -> Pem.readPrivateKey(dir.resolve(f), "bad".toCharArray()))
                    .isInstanceOf(PkiException.class).hasMessageContaining("wrong passphrase");
        }
    }

    @Test
    void readsEcKeysWithAParametersBlock() throws Exception {
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key").assertOk();
        assertThat(Files.readString(dir.resolve("ec.key"))).contains("BEGIN EC PARAMETERS");
        assertThat(Pem.readPrivateKey(dir.resolve("ec.key"), null).getAlgorithm()).isEqualTo("EC");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void seedsOpensslPkcs12CommandsExtractCertAndKey(boolean legacy) throws Exception {
        Credential ca = CertificateBuilder.forCa("CN=P12 CA").build();
        Credential leaf = CertificateBuilder.forLeaf("es01").dns(List.of("es01")).signedBy(ca).build();
        Pkcs12.write(dir.resolve("path.p12"), "instance", leaf, "pw".toCharArray());
        String[] extra = legacy ? new String[] {"-legacy"} : new String[0];
        Openssl.run(dir, concat(new String[] {"pkcs12", "-in", "path.p12", "-out", "cert.crt", "-clcerts", "-nokeys",
                "-passin", "pass:pw"}, extra)).assertOk();
        Openssl.run(dir, concat(new String[] {"pkcs12", "-in", "path.p12", "-out", "private.key", "-nocerts",
                "-nodes", "-passin", "pass:pw"}, extra)).assertOk();
        assertThat(Pem.readCertificates(dir.resolve("cert.crt"))).containsExactly(leaf.certificate());
        KeyMatch.check(leaf.certificate(), Pem.readPrivateKey(dir.resolve("private.key"), null), "private.key");
        assertThat(Openssl.run(dir, "pkcs12", "-in", "path.p12", "-nokeys", "-passin", "pass:wrong").exit())
                .isNotZero();
        String info = Openssl.run(dir, "pkcs12", "-in", "path.p12", "-info", "-noout", "-passin", "pass:pw")
                .assertOk().output();
        assertThat(info).contains("AES-256-CBC").doesNotContain("RC2").doesNotContain("3DES");
    }

    @Test
    void emptyPasswordPkcs12OpensInOpenssl() throws Exception {
        Credential ca = CertificateBuilder.forCa("CN=Empty").keySpec(KeySpec.ec("P-256")).build();
        Pkcs12.write(dir.resolve("ca.p12"), "ca", ca, new char[0]);
        String out = Openssl.run(dir, "pkcs12", "-in", "ca.p12", "-nodes", "-passin", "pass:").assertOk().output();
        assertThat(Pem.parseCertificates(out, "openssl")).containsExactly(ca.certificate());
    }

    @Test
    void readsPkcs12ThatOpensslMakes() throws Exception {
        Openssl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "o.key", "-subj", "/CN=o",
                "-days", "5", "-out", "o.crt").assertOk();
        Openssl.run(dir, "pkcs12", "-export", "-in", "o.crt", "-inkey", "o.key", "-out", "o.p12",
                "-passout", "pass:pw").assertOk();
        Openssl.run(dir, "pkcs12", "-export", "-legacy", "-in", "o.crt", "-inkey", "o.key", "-out", "legacy.p12",
                "-passout", "pass:pw").assertOk();
        var cert = Pem.readCertificates(dir.resolve("o.crt")).get(0);
        for (String f : List.of("o.p12", "legacy.p12")) {
            Credential c = Pkcs12.read(dir.resolve(f), "pw".toCharArray());
            assertThat(c.certificate()).isEqualTo(cert);
            KeyMatch.check(c.certificate(), c.key(), f);
        }
    }

    @Test
    void csrsInteroperate() throws Exception {
        var pair = KeySpec.rsa(2048).generate();
        write("ours.csr", CertificateRequest.create(pair, "agent", List.of("agent.example"), List.of()).pem());
        Openssl.run(dir, "req", "-in", "ours.csr", "-noout", "-verify").assertOk();
        Openssl.run(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "t.key", "-subj", "/CN=theirs/O=Org", "-addext", "subjectAltName=DNS:t.example,IP:10.9.9.9",
                "-out", "theirs.csr").assertOk();
        CertificateRequest theirs = CertificateRequest.parse(Files.readString(dir.resolve("theirs.csr")), "theirs.csr");
        assertThat(theirs.subject()).isEqualTo("O=Org,CN=theirs");
        assertThat(theirs.dns()).containsExactly("t.example");
        assertThat(theirs.ips()).containsExactly("10.9.9.9");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
