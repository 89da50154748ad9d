package dev.flotilla.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SignatureException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;

class CertificateBuilderTest {

    private static final Credential CA = CertificateBuilder.forCa("CN=Test CA,O=Flotilla").build();

    @Test
    void caIsSelfSignedWithCriticalBasicConstraintsAndCertSignUsage() throws Exception {
        var cert = CA.certificate();
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=Test CA,O=Flotilla");
        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(160);
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertThat(days).isEqualTo(1095);
    }

    @Test
    void leafSignedByCaCarriesSansBothUsagesAndKeyIdentifiers() throws Exception {
        Credential leaf = CertificateBuilder.forLeaf("fleet-server").dns(List.of("Fleet.Example.com", "*.example.com"))
                .ips(List.of("192.0.2.1", "2001:db8::1")).days(30).signedBy(CA).build();
        var cert = leaf.certificate();
        cert.verify(CA.certificate().getPublicKey());
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(CertificateInfo.subjectAltNames(cert)).containsExactly("DNS:fleet.example.com",
                "DNS:*.example.com", "IP:192.0.2.1", "IP:2001:db8:0:0:0:0:0:1");
        assertThat(leaf.chain()).containsExactly(cert, CA.certificate());
        var holder = new JcaX509CertificateHolder(cert);
        var caHolder = new JcaX509CertificateHolder(CA.certificate());
        byte[] aki = AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifierOctets();
        byte[] caSki = SubjectKeyIdentifier.fromExtensions(caHolder.getExtensions()).getKeyIdentifier();
        assertThat(aki).isEqualTo(caSki);
        assertThat(holder.getExtension(Extension.subjectKeyIdentifier)).isNotNull();
        // and not signed by another CA
        Credential other = CertificateBuilder.forCa("CN=Other").build();
        assertThatThrownBy(() -> cert.verify(other.certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void ecCaSignsWithTheCurvesHash() throws Exception {
        Credential ec = CertificateBuilder.forCa("CN=EC CA").keySpec(KeySpec.ec("P-384")).build();
        Credential leaf = CertificateBuilder.forLeaf("x").keySpec(KeySpec.ec("P-256")).signedBy(ec).build();
        assertThat(ec.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(leaf.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
        leaf.certificate().verify(ec.certificate().getPublicKey());
    }

    @Test
    void serialsAreRandomForTheSameKeyAndSubject() {
        var pair = KeySpec.ec("P-256").generate();
        var a = CertificateBuilder.forLeaf("a").keyPair(pair).build();
        var b = CertificateBuilder.forLeaf("a").keyPair(pair).build();
        assertThat(a.certificate().getSerialNumber()).isNotEqualTo(b.certificate().getSerialNumber());
    }

    @Test
    void explicitValidityMakesExpiredCertificates() {
        Instant now = Instant.now();
        Credential old = CertificateBuilder.forLeaf("old").keySpec(KeySpec.ec("P-256"))
                .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).signedBy(CA).build();
        assertThatThrownBy(() -> old.certificate().checkValidity())
                .isInstanceOf(java.security.cert.CertificateExpiredException.class);
    }

    @Test
    void rejectsBadInputWithActionableMessages() {
        var leaf = CertificateBuilder.forLeaf("x");
        assertThatThrownBy(() -> leaf.dns(List.of("bad_name!"))).isInstanceOf(PkiException.class)
                .hasMessageContaining("'bad_name!' is not a valid DNS name");
        assertThatThrownBy(() -> leaf.dns(List.of("192.0.2.1"))).hasMessageContaining("give it with --ip");
        assertThatThrownBy(() -> leaf.ips(List.of("300.1.1.1"))).hasMessageContaining("'300.1.1.1' is not a valid IP");
        assertThatThrownBy(() -> leaf.ips(List.of("example.com"))).hasMessageContaining("host names with --dns");
        assertThatThrownBy(() -> leaf.ips(List.of("fe80::1%eth0"))).hasMessageContaining("not a valid IP address");
        assertThatThrownBy(() -> leaf.days(0)).hasMessageContaining("days: 0 (expected: > 0)");
        assertThatThrownBy(() -> CertificateBuilder.forCa("not a dn")).hasMessageContaining("not a valid distinguished");
        Credential notCa = CertificateBuilder.forLeaf("leaf").keySpec(KeySpec.ec("P-256")).build();
        assertThatThrownBy(() -> CertificateBuilder.forLeaf("y").signedBy(notCa))
                .hasMessageContaining("it is not a CA certificate");
    }

    @Test
    void signsCertificateRequests() throws Exception {
        var pair = KeySpec.ec("P-256").generate();
        CertificateRequest csr = CertificateRequest.create(pair, "agent-7", List.of("agent7.example.com"),
                List.of("10.0.0.7"));
        CertificateRequest parsed = CertificateRequest.parse(csr.pem(), "agent-7.csr");
        assertThat(parsed.subject()).isEqualTo("CN=agent-7");
        assertThat(parsed.dns()).containsExactly("agent7.example.com");
        assertThat(parsed.ips()).containsExactly("10.0.0.7");
        var cert = CertificateBuilder.forRequest(parsed).signedBy(CA).buildCertificate();
        cert.verify(CA.certificate().getPublicKey());
        assertThat(cert.getPublicKey()).isEqualTo(pair.getPublic());
        assertThat(KeyMatch.matches(cert, pair.getPrivate())).isTrue();
        assertThat(CertificateInfo.subjectAltNames(cert)).containsExactly("DNS:agent7.example.com", "IP:10.0.0.7");
        assertThatThrownBy(() -> CertificateBuilder.forRequest(parsed).build())
                .hasMessageContaining("buildCertificate()");
        assertThatThrownBy(() -> CertificateRequest.parse(Pem.certificate(CA.certificate()), "ca.crt"))
                .hasMessageContaining("ca.crt holds no certificate request");
    }
}
