package dev.flotilla.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.KeySpec;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostnameMatcherTest {

    private static X509Certificate cert(String cn, List<String> dns, List<String> ips) {
        return CertificateBuilder.forLeaf(cn).keySpec(KeySpec.ec("P-256")).dns(dns).ips(ips).build().certificate();
    }

    @Test
    void ipLiteralsMatchOnlyIpSans() {
        X509Certificate c = cert("fleet", List.of("fleet.local"), List.of("192.0.2.1", "::1"));
        assertThat(HostnameMatcher.mismatch(c, "192.0.2.1", false)).isNull();
        assertThat(HostnameMatcher.mismatch(c, "[::1]", false)).isNull();
        assertThat(HostnameMatcher.mismatch(c, "0:0:0:0:0:0:0:1", false)).isNull();
        assertThat(HostnameMatcher.mismatch(c, "10.0.0.1", false)).contains("has no IP SAN 10.0.0.1")
                .contains("--ip 10.0.0.1");
    }

    @Test
    void dnsNamesMatchDnsSansWithOneLeadingWildcardLabel() {
        X509Certificate c = cert("x", List.of("*.fleet.example", "Fleet.Local"), List.of());
        assertThat(HostnameMatcher.mismatch(c, "a.fleet.example", false)).isNull();
        assertThat(HostnameMatcher.mismatch(c, "FLEET.local.", false)).isNull();
        assertThat(HostnameMatcher.mismatch(c, "a.b.fleet.example", false)).contains("has no DNS SAN a.b.fleet.example");
        assertThat(HostnameMatcher.mismatch(c, "fleet.example", false)).isNotNull();
        assertThat(HostnameMatcher.mismatch(c, "other.local", false)).contains("--dns other.local")
                .contains("verification_mode: certificate");
    }

    @Test
    void commonNameOnlyWithoutDnsSansAndNeverUnderStrict() {
        X509Certificate cnOnly = cert("fleet.local", List.of(), List.of());
        assertThat(HostnameMatcher.mismatch(cnOnly, "fleet.local", false)).isNull();
        assertThat(HostnameMatcher.mismatch(cnOnly, "fleet.local", true)).contains("never falls back to the CN");
        X509Certificate withSan = cert("fleet.local", List.of("other.local"), List.of());
        assertThat(HostnameMatcher.mismatch(withSan, "fleet.local", false)).contains("has no DNS SAN fleet.local");
    }
}
