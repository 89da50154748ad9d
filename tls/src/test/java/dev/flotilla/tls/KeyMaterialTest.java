package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.Command;
import dev.flotilla.tls.peers.NettyPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server keys as people have them (made by openssl: legacy encrypted PKCS#1, encrypted PKCS#8, SEC1), passphrases
 * inline or from a file with a trailing newline, and the mistakes: wrong passphrase, missing passphrase, a key that
 * belongs to another certificate. Working keys are proven by a real handshake.
 */
class KeyMaterialTest {

    @TempDir
    Path dir;
    TestCertificates pki;

    @BeforeEach
    void setUp() {
        pki = TestCertificates.rsa(dir.resolve("pki"));
    }

    private Path openssl(String name, String... args) throws Exception {
        Command.Result r = Command.run(dir, List.of(args), "");
        assertThat(r.exitCode()).as(r.output()).isZero();
        return dir.resolve(name);
    }

    /** Signs a CSR for {@code key} with the test CA via openssl x509 -req, SAN localhost/127.0.0.1. */
    private Path certificateFor(Path key, String passphrase) throws Exception {
        Path ext = Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("req.csr", "openssl", "req", "-new", "-key", key.toString(), "-passin", "pass:" + passphrase,
                "-subj", "/CN=localhost", "-out", dir.resolve("req.csr").toString());
        return openssl("server.crt", "openssl", "x509", "-req", "-in", dir.resolve("req.csr").toString(), "-CA",
                pki.caCertificate().toString(), "-CAkey", pki.caKey().toString(), "-CAcreateserial", "-days", "2",
                "-extfile", ext.toString(), "-out", dir.resolve("server.crt").toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"legacy PKCS#1 AES-256 (DEK-Info)", "encrypted PKCS#8", "SEC1 EC, unencrypted"})
    void keysMadeByOpensslWork(String kind) throws Exception {
        Path key = switch (kind) {
            case "legacy PKCS#1 AES-256 (DEK-Info)" -> openssl("k.pem", "openssl", "genrsa", "-traditional",
                    "-aes256", "-passout", "pass:s3cret", "-out", dir.resolve("k.pem").toString(), "2048");
            case "encrypted PKCS#8" -> openssl("k.pem", "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-384", "-aes-256-cbc", "-pass", "pass:s3cret", "-out",
                    dir.resolve("k.pem").toString());
            default -> openssl("k.pem", "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                    dir.resolve("k.pem").toString());
        };
        Path crt = certificateFor(key, "s3cret");
        Path passFile = Files.writeString(dir.resolve("pass.txt"), "s3cret\n"); // echo s3cret > pass.txt
        TlsSettings.Builder b = TlsSettings.builder().certificate(crt).key(key);
        if (!kind.startsWith("SEC1")) {
            b.keyPassphrasePath(passFile);
        }
        ServerTls tls = ServerTls.create(b.build(), "Fleet Server");
        try (NettyPeers peers = new NettyPeers(); NettyPeers.Server server = peers.server(tls)) {
            NettyPeers.Outcome out = peers.get(ClientTls.create(TlsSettings.builder()
                    .addCertificateAuthority(pki.caCertificate()).build(), "agent -> Fleet Server"), "localhost",
                    server.port());
            assertThat(out.failure()).isNull();
            assertThat(out.body()).contains("hello anonymous");
        }
    }

    @Test
    void wrongPassphraseNamesTheKeyFileAndWherePassphraseCameFrom() throws Exception {
        TestCertificates.Issued server = pki.server("localhost");
        Path encrypted = server.encryptedKey("right");
        Path passFile = Files.writeString(dir.resolve("pass.txt"), "wrong\n");
        TlsSettings s = TlsSettings.builder().certificate(server.certificate()).key(encrypted)
                .keyPassphrasePath(passFile).build();
        assertThatThrownBy(() -> ServerTls.create(s, "Fleet Server")).isInstanceOf(TlsException.class)
                .satisfies(e -> assertThat(((TlsException) e).problem()).isEqualTo(TlsProblem.SETTINGS))
                .hasMessageContaining("Fleet Server: ssl.key").hasMessageContaining(encrypted.toString())
                .hasMessageContaining("ssl.key_passphrase_path " + passFile);
        // and the right one, given inline, works
        assertThat(ServerTls.create(s.toBuilder().keyPassphrasePath(null).keyPassphrase("right").build(),
                "Fleet Server").certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }

    @Test
    void passphraseFileWithCrlfAndWithoutNewlineBothWork() throws Exception {
        TestCertificates.Issued server = pki.server("localhost");
        Path encrypted = server.encryptedKey("pw");
        for (String content : List.of("pw\r\n", "pw")) {
            Path passFile = Files.writeString(dir.resolve("pass.txt"), content);
            assertThat(ServerTls.create(TlsSettings.builder().certificate(server.certificate()).key(encrypted)
                    .keyPassphrasePath(passFile).build(), "Fleet Server").certificate()).isNotNull();
        }
        Path twoNewlines = Files.writeString(dir.resolve("pass2.txt"), "pw\n\n"); // only one newline is dropped
        assertThatThrownBy(() -> ServerTls.create(TlsSettings.builder().certificate(server.certificate())
                .key(encrypted).keyPassphrasePath(twoNewlines).build(), "Fleet Server"))
                .isInstanceOf(TlsException.class).hasMessageContaining("ssl.key");
    }

    @Test
    void encryptedKeyWithoutPassphraseSaysSo() {
        TestCertificates.Issued server = pki.server("localhost");
        Path encrypted = server.encryptedKey("pw");
        assertThatThrownBy(() -> ServerTls.create(TlsSettings.builder().certificate(server.certificate())
                .key(encrypted).build(), "Fleet Server")).isInstanceOf(TlsException.class)
                .hasMessageContaining("Fleet Server: ssl.key").hasMessageContaining("encrypted")
                .hasMessageContaining(encrypted.toString());
    }

    @Test
    void keyOfAnotherCertificateIsRejectedWithBothFiles() {
        TestCertificates.Issued a = pki.server("localhost");
        TestCertificates.Issued b = pki.client("other");
        assertThatThrownBy(() -> ServerTls.create(TlsSettings.builder().certificate(a.certificate()).key(b.key())
                .build(), "Fleet Server")).isInstanceOf(TlsException.class)
                .hasMessageContaining("Fleet Server").hasMessageContaining("does not belong")
                .hasMessageContaining(a.certificate().toString()).hasMessageContaining(b.key().toString());
        assertThatThrownBy(() -> ClientTls.create(TlsSettings.builder().certificate(a.certificate()).key(b.key())
                .build(), "agent -> Fleet Server")).isInstanceOf(TlsException.class)
                .hasMessageContaining("agent -> Fleet Server").hasMessageContaining("does not belong");
    }

    @Test
    void missingFilesAndSwappedFilesAreNamed() {
        TestCertificates.Issued a = pki.server("localhost");
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> ServerTls.create(TlsSettings.builder().certificate(missing).key(a.key()).build(),
                "Fleet Server")).isInstanceOf(TlsException.class).hasMessageContaining("ssl.certificate")
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ServerTls.create(TlsSettings.builder().certificate(a.key()).key(a.certificate())
                .build(), "Fleet Server")).isInstanceOf(TlsException.class).hasMessageContaining("ssl.certificate")
                .hasMessageContaining(a.key().toString());
        assertThatThrownBy(() -> ClientTls.create(TlsSettings.builder().addCertificateAuthority(missing).build(),
                "agent -> Fleet Server")).isInstanceOf(TlsException.class)
                .hasMessageContaining("agent -> Fleet Server: ssl.certificate_authorities")
                .hasMessageContaining(missing.toString());
    }
}
