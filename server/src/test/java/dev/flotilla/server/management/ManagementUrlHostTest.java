package dev.flotilla.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host management.json names: one the served certificate covers, so {@code flotilla fleet} connects. */
class ManagementUrlHostTest {
    @TempDir
    Path dir;

    @Test
    void theBoundAddressWhenTheCertificateCoversIt() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir);
        var localhostAndIps = pki.server("localhost").credential().certificate();
        var otherNameAndIp = pki.server("f1", List.of("fleet.example"), List.of("127.0.0.1")).credential()
                .certificate();
        assertThat(ManagementServer.urlHost("127.0.0.1", localhostAndIps)).isEqualTo("127.0.0.1");
        assertThat(ManagementServer.urlHost("127.0.0.1", otherNameAndIp)).isEqualTo("127.0.0.1");
        assertThat(ManagementServer.urlHost("127.0.0.1", null)).as("plain HTTP or an unknown certificate")
                .isEqualTo("127.0.0.1");
    }

    @Test
    void localhostWhenTheCertificateNamesOnlyLocalhost() throws Exception {
        TestCertificates pki = TestCertificates.rsa(dir);
        var localhostOnly = pki.server("f2", List.of("localhost"), List.of()).credential().certificate();
        assertThat(ManagementServer.urlHost("127.0.0.1", localhostOnly)).isEqualTo("localhost");
        assertThat(ManagementServer.urlHost("0.0.0.0", localhostOnly)).isEqualTo("localhost");
        var otherNameOnly = pki.server("f3", List.of("fleet.example"), List.of()).credential().certificate();
        assertThat(ManagementServer.urlHost("127.0.0.1", otherNameOnly))
                .as("nothing better to name: the client's error lists the certificate's names").isEqualTo("127.0.0.1");
        assertThat(ManagementServer.urlHost("192.0.2.10", localhostOnly)).as("not a loopback listener")
                .isEqualTo("192.0.2.10");
    }
}
