package dev.flotilla.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.pki.KeyMatch;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.Pkcs12;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateExpiredException;
import java.security.SignatureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.Assertions;

class TestCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void issuesServerAndClientCertificatesAsPemFiles() throws Exception {
        TestCertificates pki = TestCertificates.ec(dir);
        TestCertificates.Issued server = pki.server("localhost");
        TestCertificates.Issued client = pki.client("agent-1");
        assertThat(pki.caCertificate()).isEqualTo(dir.resolve("ca.crt"));
        assertThat(Pem.readCertificates(pki.caCertificate())).containsExactly(pki.ca().certificate());
        assertThat(CertificateInfo.subjectAltNames(server.credential().certificate()))
                .containsExactly("DNS:localhost", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1");
        server.credential().certificate().verify(pki.ca().certificate().getPublicKey());
        client.credential().certificate().verify(pki.ca().certificate().getPublicKey());
        KeyMatch.check(Pem.readCertificates(client.certificate()).get(0), Pem.readPrivateKey(client.key(), null), "c");
        assertThat(Pem.readCertificates(server.chain())).hasSize(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.key()))).isEqualTo("rw-------");
        assertThat(Pem.readPrivateKey(server.encryptedKey("pw"), "pw".toCharArray()))
                .isEqualTo(server.credential().key());
        assertThat(Pkcs12.read(client.pkcs12("pw"), "pw".toCharArray()).certificate())
                .isEqualTo(client.credential().certificate());
        assertThat(pki.caFingerprint()).matches("[0-9a-f]{64}");
    }

    @Test
    void otherCaExpiredAndSelfSignedCertificatesAreNotTrustedByTheCa() {
        TestCertificates pki = TestCertificates.rsa(dir);
        TestCertificates other = pki.otherCa("evil");
        var foreign = other.server("localhost").credential().certificate();
        Assertions.assertThatThrownBy(() -> foreign.verify(pki.ca().certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
        Assertions.assertThatThrownBy(() -> pki.expired("old").credential().certificate().checkValidity())
                .isInstanceOf(CertificateExpiredException.class);
        var self = pki.selfSigned("self").credential().certificate();
        Assertions.assertThatThrownBy(() -> self.verify(pki.ca().certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }
}
