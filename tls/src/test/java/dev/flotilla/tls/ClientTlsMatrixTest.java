package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.Pem;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.NettyPeers;
import dev.flotilla.tls.peers.OpensslServer;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flotilla's TLS client (Netty on BoringSSL and on the JDK engine) against a real {@code openssl s_server}: every
 * verification mode, CA file / inline PEM / fingerprint / ca_sha256, RSA and EC, one-way and mutual TLS, TLS 1.2
 * and 1.3. Each case says whether the connection must work or which problem it must report; failing cases also
 * check that the message is the diagnostic one.
 */
class ClientTlsMatrixTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static Pki rsa;
    static Pki ec;

    /** One CA with the certificates the cases use, as files. */
    record Pki(String name, TestCertificates ca, TestCertificates other, TestCertificates.Issued server,
            TestCertificates.Issued noIp, TestCertificates.Issued noSan, TestCertificates.Issued expired,
            TestCertificates.Issued notYetValid,
            TestCertificates.Issued client, TestCertificates.Issued otherClient) {

        static Pki create(String name, Path dir, boolean rsa) throws Exception {
            Files.createDirectories(dir);
            TestCertificates ca = rsa ? TestCertificates.rsa(dir) : TestCertificates.ec(dir);
            TestCertificates other = ca.otherCa("other");
            return new Pki(name, ca, other, ca.server("localhost"),
                    ca.server("fleet.local", List.of("fleet.local"), List.of()),
                    ca.issue("nosan", b -> b.subject("CN=localhost")), ca.expired("old"),
                    ca.issue("future", b -> b.dns(List.of("localhost")).ips(List.of("127.0.0.1")).validity(
                            java.time.Instant.now().plus(java.time.Duration.ofDays(2)),
                            java.time.Instant.now().plus(java.time.Duration.ofDays(30)))), ca.client("agent-1"),
                    other.client("intruder"));
        }

        String spkiPin() {
            return Fingerprints.spkiSha256Base64(ca.ca().certificate());
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        peers = new NettyPeers();
        rsa = Pki.create("RSA", dir.resolve("rsa"), true);
        ec = Pki.create("EC", dir.resolve("ec"), false);
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    /** One row of the matrix: how s_server runs, how the client is set up, what must happen. */
    record Case(String name, Server server, String host, UnaryOperator<TlsSettings.Builder> client,
            TlsProblem expected, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The s_server side of a case. */
    interface Server {
        List<String> args(Pki pki);
    }

    static Server presents(java.util.function.Function<Pki, TestCertificates.Issued> leaf, boolean sendCa) {
        return pki -> {
            TestCertificates.Issued l = leaf.apply(pki);
            List<String> a = new ArrayList<>(List.of("-cert", l.certificate().toString(), "-key", l.key().toString()));
            if (sendCa) {
                a.addAll(List.of("-cert_chain", pki.ca().caCertificate().toString()));
            }
            return a;
        };
    }

    static Server mtls(boolean required) {
        return pki -> {
            List<String> a = new ArrayList<>(presents(Pki::server, false).args(pki));
            a.addAll(List.of(required ? "-Verify" : "-verify", "2", "-verify_return_error", "-CAfile",
                    pki.ca().caCertificate().toString()));
            return a;
        };
    }

    static Case ok(String name, Server server, String host, UnaryOperator<TlsSettings.Builder> client) {
        return new Case(name, server, host, client, null, null);
    }

    static Case fails(String name, Server server, String host, UnaryOperator<TlsSettings.Builder> client,
            TlsProblem problem, String messagePart) {
        return new Case(name, server, host, client, problem, messagePart);
    }

    static UnaryOperator<TlsSettings.Builder> caFile(Pki pki) {
        return b -> b.addCertificateAuthority(pki.ca().caCertificate());
    }

    static List<Case> cases(Pki pki) throws Exception {
        String caPem = Files.readString(pki.ca().caCertificate());
        String fp = pki.ca().caFingerprint();
        String colonFp = fp.toUpperCase(Locale.ROOT).replaceAll("(..)(?!$)", "$1:");
        Server leafOnly = presents(Pki::server, false);
        Server withCa = presents(Pki::server, true);
        return List.of(
                ok("full, CA file, IP", leafOnly, "127.0.0.1", caFile(pki)),
                ok("full, inline CA PEM, DNS", leafOnly, "localhost", b -> b.addCertificateAuthority(caPem)),
                fails("full, unknown CA", leafOnly, "127.0.0.1",
                        b -> b.addCertificateAuthority(pki.other().caCertificate()), TlsProblem.UNKNOWN_CA,
                        "no trusted CA signed"),
                fails("full, system trust only", leafOnly, "127.0.0.1", b -> b, TlsProblem.UNKNOWN_CA,
                        "system trust store"),
                ok("none, unknown CA", leafOnly, "127.0.0.1", b -> b.verificationMode(VerificationMode.NONE)),
                fails("full, no IP SAN", presents(Pki::noIp, false), "127.0.0.1", caFile(pki),
                        TlsProblem.HOSTNAME_MISMATCH, "has no IP SAN 127.0.0.1 (SANs: [DNS:fleet.local]); "
                        + "regenerate it with --ip 127.0.0.1 or use verification_mode: certificate"),
                fails("strict, no IP SAN", presents(Pki::noIp, false), "127.0.0.1",
                        b -> caFile(pki).apply(b).verificationMode(VerificationMode.STRICT),
                        TlsProblem.HOSTNAME_MISMATCH, "no IP SAN 127.0.0.1"),
                ok("certificate, no IP SAN", presents(Pki::noIp, false), "127.0.0.1",
                        b -> caFile(pki).apply(b).verificationMode(VerificationMode.CERTIFICATE)),
                fails("certificate, unknown CA", leafOnly, "127.0.0.1",
                        b -> b.addCertificateAuthority(pki.other().caCertificate())
                                .verificationMode(VerificationMode.CERTIFICATE), TlsProblem.UNKNOWN_CA,
                        "no trusted CA signed"),
                ok("full, CN fallback without SANs", presents(Pki::noSan, false), "localhost", caFile(pki)),
                fails("strict, no SANs", presents(Pki::noSan, false), "localhost",
                        b -> caFile(pki).apply(b).verificationMode(VerificationMode.STRICT), TlsProblem.WRONG_USAGE,
                        "without subject alternative names"),
                fails("full, expired", presents(Pki::expired, false), "127.0.0.1", caFile(pki), TlsProblem.EXPIRED,
                        "expired at"),
                fails("full, not yet valid", presents(Pki::notYetValid, false), "127.0.0.1", caFile(pki),
                        TlsProblem.NOT_YET_VALID, "is not valid until"),
                ok("fingerprint, server sends CA", withCa, "127.0.0.1", b -> b.caTrustedFingerprint(fp)),
                ok("fingerprint with colons, upper case", withCa, "localhost", b -> b.caTrustedFingerprint(colonFp)),
                fails("fingerprint, server does not send CA", leafOnly, "127.0.0.1", b -> b.caTrustedFingerprint(fp),
                        TlsProblem.FINGERPRINT_NOT_PRESENTED, "The server does not send its CA certificate"),
                fails("fingerprint of the leaf", leafOnly, "127.0.0.1",
                        b -> b.caTrustedFingerprint(pki.server().sha256()), TlsProblem.FINGERPRINT_NOT_A_CA,
                        "not a CA"),
                fails("fingerprint, full, no IP SAN", presents(Pki::noIp, true), "127.0.0.1",
                        b -> b.caTrustedFingerprint(fp), TlsProblem.HOSTNAME_MISMATCH, "no IP SAN"),
                ok("ca_sha256 of the CA", leafOnly, "127.0.0.1", b -> caFile(pki).apply(b)
                        .caSha256(List.of(pki.spkiPin()))),
                fails("ca_sha256 of another key", leafOnly, "127.0.0.1", b -> caFile(pki).apply(b)
                        .caSha256(List.of(Fingerprints.spkiSha256Base64(pki.other().ca().certificate()))),
                        TlsProblem.PIN_MISMATCH, "ssl.ca_sha256"),
                ok("mTLS required, client certificate", mtls(true), "127.0.0.1", b -> caFile(pki).apply(b)
                        .certificate(pki.client().certificate()).key(pki.client().key())),
                ok("mTLS required, inline client certificate and key", mtls(true), "127.0.0.1",
                        b -> caFile(pki).apply(b).certificate(Pem.certificate(pki.client().credential().certificate()))
                                .key(Pem.privateKey(pki.client().credential().key()))),
                fails("mTLS required, no client certificate", mtls(true), "127.0.0.1", caFile(pki),
                        TlsProblem.CLIENT_CERTIFICATE_MISSING, "requires a client certificate and none is configured"),
                fails("mTLS required, client certificate from another CA", mtls(true), "127.0.0.1",
                        b -> caFile(pki).apply(b).certificate(pki.otherClient().certificate())
                                .key(pki.otherClient().key()), TlsProblem.CLIENT_CERTIFICATE_REJECTED,
                        "which is not among them"),
                ok("mTLS optional, no client certificate", mtls(false), "127.0.0.1", caFile(pki)),
                ok("mTLS optional, client certificate", mtls(false), "127.0.0.1", b -> caFile(pki).apply(b)
                        .certificate(pki.client().certificate()).key(pki.client().key())));
    }

    static Stream<Arguments> matrix() throws Exception {
        List<Arguments> all = new ArrayList<>();
        for (SslProvider provider : List.of(SslProvider.OPENSSL, SslProvider.JDK)) {
            for (Pki pki : List.of(rsa, ec)) {
                for (String version : List.of("TLSv1.2", "TLSv1.3")) {
                    for (Case c : cases(pki)) {
                        all.add(Arguments.of(provider, pki.name(), version, c));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @MethodSource("matrix")
    void clientAgainstOpensslServer(SslProvider provider, String keys, String version, Case c) throws Exception {
        Pki pki = keys.equals("RSA") ? rsa : ec;
        List<String> args = new ArrayList<>(c.server().args(pki));
        args.add(version.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3");
        TlsSettings settings = c.client().apply(TlsSettings.builder()).build();
        ClientTls tls = ClientTls.create(settings, "agent -> Fleet Server", provider);
        try (OpensslServer server = OpensslServer.start(pki.ca().dir(), args)) {
            NettyPeers.Outcome out = peers.get(tls, c.host(), server.port());
            if (c.expected() == null) {
                assertThat(out.failure()).as("failure").isNull();
                assertThat(out.body()).contains("s_server");
                assertThat(out.protocol()).isEqualTo(version);
            } else {
                assertThat(out.failure()).as("must fail with " + c.expected()).isNotNull();
                System.out.println(provider + " " + keys + " " + version + " " + c + " -> " + out.failure().getMessage());
                assertThat(out.failure().problem()).as(out.failure().getMessage()).isEqualTo(c.expected());
                assertThat(out.failure().getMessage()).contains("agent -> Fleet Server").contains(c.messagePart());
            }
        }
    }
}
