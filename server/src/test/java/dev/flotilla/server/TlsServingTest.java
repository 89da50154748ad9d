package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.certs.ListenerTls;
import dev.flotilla.server.certs.ServerCertificates;
import dev.flotilla.server.http.Json;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsSettings;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent API over real TLS: one-way, mTLS none/optional/required, encrypted key, self-signed fallback. */
@Timeout(120)
class TlsServingTest {
    @TempDir
    Path dir;
    TestCertificates pki;
    TestCertificates.Issued serverCert;

    @BeforeEach
    void certificates() {
        pki = TestCertificates.rsa(dir.resolve("pki"));
        serverCert = pki.server("localhost");
    }

    private TlsSettings.Builder serverSettings() {
        return TlsSettings.builder().source("test").certificate(serverCert.chain()).key(serverCert.key());
    }

    private List<String> curlEnroll(String token, Path bodyFile) {
        return List.of("-H", "Authorization: ApiKey " + token, "-H", "Content-Type: application/json",
                "--data-binary", "@" + bodyFile);
    }

    @Test
    void oneWayTlsWithTheJdkClientAndCurl() throws Exception {
        try (TestFleet fleet = TestFleet.tls(dir, serverSettings().clientAuthentication(ClientAuthentication.NONE)
                .build(), JdkTls.context(pki.caCertificate(), null))) {
            assertThat(fleet.server.url().getScheme()).isEqualTo("https");
            TestFleet.Agent agent = fleet.enroll();
            ApiClient.Reply checkin = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
            assertThat(checkin.status()).isEqualTo(200);
            assertThat(checkin.json().path("actions").get(0).path("type").asText()).isEqualTo("POLICY_CHANGE");
            assertThat(OpenApiSchemas.problems("checkinResponse", checkin.json())).isEmpty();

            Path body = Files.write(dir.resolve("enroll.json"), Json.bytes(ApiClient.enrollBody(List.of("curl"))));
            String base = "https://localhost:" + fleet.server.port();
            Curl.Result ok = Curl.run(dir, base + "/api/fleet/agents/enroll", concat(List.of("--cacert",
                    pki.caCertificate().toString()), curlEnroll(fleet.token.token(), body)));
            assertThat(ok.exit()).as(ok.stderr()).isZero();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(OpenApiSchemas.problems("enrollResponse", Json.MAPPER.readTree(ok.body()))).isEmpty();

            Curl.Result untrusted = Curl.run(dir, base + "/api/status", List.of());
            assertThat(untrusted.exit()).isEqualTo(60); // peer certificate cannot be authenticated
            Curl.Result otherCa = Curl.run(dir, base + "/api/status", List.of("--cacert",
                    pki.otherCa("other").caCertificate().toString()));
            assertThat(otherCa.exit()).isEqualTo(60);
            Curl.Result plain = Curl.run(dir, "http://localhost:" + fleet.server.port() + "/api/status", List.of());
            assertThat(plain.status()).isEqualTo(400); // an http:// URL on the TLS port is told what to change
            assertThat(plain.body()).contains("use https:// instead of http://");
            assertThat(fleet.server.store().listAgents()).hasSize(2);
        }
    }

    @Test
    void mutualTlsRequiredRejectsNoCertificateAndWrongCa() throws Exception {
        TestCertificates.Issued client = pki.client("agent-1");
        TestCertificates other = pki.otherCa("rogue");
        TestCertificates.Issued rogue = other.client("rogue-agent");
        TlsSettings settings = serverSettings().certificateAuthorities(List.of(pki.caCertificate().toString()))
                .clientAuthentication(ClientAuthentication.REQUIRED).build();
        try (TestFleet fleet = TestFleet.tls(dir, settings, JdkTls.context(pki.caCertificate(),
                client.credential()))) {
            TestFleet.Agent agent = fleet.enroll();
            ApiClient.Reply checkin = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
            assertThat(checkin.status()).isEqualTo(200);
            String policyAction = checkin.json().path("actions").get(0).path("id").asText();
            assertThat(policyAction).isEqualTo("policy:test-policy:1");
            assertThat(fleet.client.ack(agent.id(), agent.key(), policyAction).status()).isEqualTo(200);
            assertThat(fleet.server.store().findAgent(agent.id()).orElseThrow().policyRevision()).isEqualTo(1);
            URI url = fleet.server.url();
            assertThatThrownBy(() -> new ApiClient(url, JdkTls.context(pki.caCertificate(), null))
                    .send("GET", "/api/status", null, null)).isInstanceOf(UncheckedIOException.class);
            assertThatThrownBy(() -> new ApiClient(url, JdkTls.context(pki.caCertificate(), rogue.credential()))
                    .send("GET", "/api/status", null, null)).isInstanceOf(UncheckedIOException.class);

            String base = "https://localhost:" + fleet.server.port() + "/api/status";
            String ca = pki.caCertificate().toString();
            assertThat(Curl.run(dir, base, List.of("--cacert", ca)).status()).isZero();
            assertThat(Curl.run(dir, base, List.of("--cacert", ca, "--cert", rogue.certificate().toString(), "--key",
                    rogue.key().toString())).status()).isZero();
            Curl.Result good = Curl.run(dir, base, List.of("--cacert", ca, "--cert", client.certificate().toString(),
                    "--key", client.key().toString()));
            assertThat(good.exit()).as(good.stderr()).isZero();
            assertThat(good.status()).isEqualTo(200);
        }
    }

    @Test
    void mutualTlsOptionalAcceptsNoCertificateButRejectsWrongCa() throws Exception {
        TestCertificates.Issued client = pki.client("agent-1");
        TestCertificates.Issued rogue = pki.otherCa("rogue").client("rogue-agent");
        TlsSettings settings = serverSettings().certificateAuthorities(List.of(pki.caCertificate().toString()))
                .clientAuthentication(ClientAuthentication.OPTIONAL).build();
        try (TestFleet fleet = TestFleet.tls(dir, settings, JdkTls.context(pki.caCertificate(), null))) {
            assertThat(fleet.enroll().id()).isNotEmpty();
            String base = "https://localhost:" + fleet.server.port() + "/api/status";
            String ca = pki.caCertificate().toString();
            assertThat(Curl.run(dir, base, List.of("--cacert", ca)).status()).isEqualTo(200);
            assertThat(Curl.run(dir, base, List.of("--cacert", ca, "--cert", client.certificate().toString(),
                    "--key", client.key().toString())).status()).isEqualTo(200);
            assertThat(Curl.run(dir, base, List.of("--cacert", ca, "--cert", rogue.certificate().toString(),
                    "--key", rogue.key().toString())).status()).isZero();
        }
    }

    @Test
    void clientAuthNoneIgnoresClientCertificates() throws Exception {
        TestCertificates.Issued rogue = pki.otherCa("rogue").client("rogue-agent");
        try (TestFleet fleet = TestFleet.tls(dir, serverSettings().clientAuthentication(ClientAuthentication.NONE)
                .build(), JdkTls.context(pki.caCertificate(), rogue.credential()))) {
            assertThat(fleet.enroll().id()).isNotEmpty();
        }
    }

    @Test
    void encryptedServerKeyWithAPassphraseFile() throws Exception {
        Path encrypted = serverCert.encryptedKey("correct horse");
        Path pass = Files.writeString(dir.resolve("pass"), "correct horse", StandardCharsets.UTF_8);
        TlsSettings settings = TlsSettings.builder().source("test").certificate(serverCert.chain()).key(encrypted)
                .keyPassphrasePath(pass).build();
        try (TestFleet fleet = TestFleet.tls(dir, settings, JdkTls.context(pki.caCertificate(), null))) {
            assertThat(fleet.enroll().id()).isNotEmpty();
        }
        Path wrong = Files.writeString(dir.resolve("wrong"), "battery staple", StandardCharsets.UTF_8);
        TlsSettings bad = settings.toBuilder().keyPassphrasePath(wrong).build();
        assertThatThrownBy(() -> FleetServer.start(TestFleet.base(dir.resolve("bad")).host("127.0.0.1").tls(bad)
                .build())).hasMessageContaining(encrypted.getFileName().toString());
    }

    @Test
    void selfSignedFallbackIsGeneratedOnceAndTrustedOnlyWithItsCa() throws Exception {
        Path data = dir.resolve("data");
        Path noSystem = dir.resolve("no-system-certs");
        ListenerTls.Resolved resolved = ListenerTls.resolve(ListenerTls.Flags.none(), null, data, noSystem);
        assertThat(resolved.fallback().origin()).isEqualTo(ServerCertificates.Origin.GENERATED);
        Path ca = resolved.fallback().ca();
        assertThat(Files.getPosixFilePermissions(data.resolve("certs/ca.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(data.resolve("certs/fleet-server.key"))).hasSize(2);
        try (TestFleet fleet = TestFleet.tls(dir, resolved.settings(), JdkTls.context(ca, null))) {
            assertThat(fleet.enroll().id()).isNotEmpty();
            String base = "https://localhost:" + fleet.server.port() + "/api/status";
            assertThat(Curl.run(dir, base, List.of()).exit()).isEqualTo(60);
            assertThat(Curl.run(dir, base, List.of("--cacert", pki.caCertificate().toString())).exit()).isEqualTo(60);
            Curl.Result withCa = Curl.run(dir, base, List.of("--cacert", ca.toString()));
            assertThat(withCa.exit()).as(withCa.stderr()).isZero();
            assertThat(withCa.status()).isEqualTo(200);
            Curl.Result insecure = Curl.run(dir, base, List.of("--insecure"));
            assertThat(insecure.status()).isEqualTo(200);
        }
        // the second start reuses the generated files
        ListenerTls.Resolved again = ListenerTls.resolve(ListenerTls.Flags.none(), null, data, noSystem);
        assertThat(again.fallback().origin()).isEqualTo(ServerCertificates.Origin.DATA_DIR);
        assertThat(again.fallback().caFingerprint()).isEqualTo(resolved.fallback().caFingerprint());

        // a system-level certificate wins over the data directory
        Path system = Files.createDirectories(dir.resolve("etc-flotilla"));
        Files.copy(serverCert.chain(), system.resolve("fleet-server.crt"));
        Files.copy(serverCert.key(), system.resolve("fleet-server.key"));
        ListenerTls.Resolved sys = ListenerTls.resolve(ListenerTls.Flags.none(), null, data, system);
        assertThat(sys.fallback().origin()).isEqualTo(ServerCertificates.Origin.SYSTEM);
        assertThat(sys.settings().certificate()).contains(system.toString());
    }

    @Test
    void flagsWithoutTheirPartnerAreRefused() {
        assertThatThrownBy(() -> ListenerTls.resolve(new ListenerTls.Flags(serverCert.certificate(), null, null,
                List.of(), null), null, dir, dir)).hasMessageContaining("--fleet-server-cert-key");
        assertThatThrownBy(() -> ListenerTls.resolve(new ListenerTls.Flags(null, serverCert.key(), null,
                List.of(), null), null, dir, dir)).hasMessageContaining("--fleet-server-cert");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
