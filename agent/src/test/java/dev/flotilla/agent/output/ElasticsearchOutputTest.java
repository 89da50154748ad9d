package dev.flotilla.agent.output;

import dev.flotilla.agent.AgentException;
import dev.flotilla.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code _bulk} over real TLS to a stand-in peer (see {@link BulkStandIn}), with each output ssl setting. */
class ElasticsearchOutputTest {
    @TempDir
    Path dir;
    TestCertificates pki;
    TestCertificates.Issued serverCert;
    BulkStandIn es;

    @BeforeEach
    void start() throws Exception {
        pki = TestCertificates.rsa(dir);
        serverCert = pki.server("localhost");
        es = new BulkStandIn(serverCert.credential(), null);
    }

    @AfterEach
    void stop() throws Exception {
        es.close();
    }

    private Map<String, Object> policy(Map<String, Object> output) {
        Map<String, Object> o = new HashMap<>(output);
        o.put("type", "elasticsearch");
        o.putIfAbsent("hosts", List.of(es.url()));
        return Map.of("id", "p1", "outputs", Map.of("default", o));
    }

    private static byte[] event(String msg) {
        return ("{\"message\":\"" + msg + "\",\"data_stream\":{\"type\":\"logs\",\"dataset\":\"app\",\"namespace\":\"prod\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void caAsPathWithApiKey() {
        ElasticsearchOutput out = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                "ssl", Map.of("certificate_authorities", List.of(pki.caCertificate().toString())),
                "api_key", "key-id:key-secret")), "default"));
        BulkResult r = out.send(List.of(event("one"), event("two")));
        assertThat(r.accepted()).isEqualTo(2);
        BulkStandIn.Request req = es.requests.get(0);
        assertThat(req.authorization()).isEqualTo("ApiKey "
                + Base64.getEncoder().encodeToString("key-id:key-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(req.body().lines().toList()).containsExactly(
                "{\"create\":{\"_index\":\"logs-app-prod\"}}", new String(event("one"), StandardCharsets.UTF_8),
                "{\"create\":{\"_index\":\"logs-app-prod\"}}", new String(event("two"), StandardCharsets.UTF_8));
    }

    @Test
    void caInlinePemAsDottedKeyAndBasicAuth() throws Exception {
        String pem = Files.readString(pki.caCertificate());
        ElasticsearchOutput out = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                "ssl.certificate_authorities", List.of(pem), "username", "elastic", "password", "changeme")), "default"));
        assertThat(out.send(List.of(event("x"))).accepted()).isEqualTo(1);
        assertThat(es.requests.get(0).authorization()).startsWith("Basic ");
    }

    @Test
    void caTrustedFingerprintWhenTheServerSendsItsChain() throws Exception {
        assertThat(serverCert.credential().chain()).hasSize(2);
        ElasticsearchOutput out = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                "ssl.ca_trusted_fingerprint", pki.caFingerprint())), "default"));
        assertThat(out.send(List.of(event("x"))).accepted()).isEqualTo(1);
    }

    @Test
    void wrongCaFailsWithTheHopNamedAndVerificationNoneAcceptsIt() {
        TestCertificates other = pki.otherCa("other");
        ElasticsearchOutput wrong = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                "ssl", Map.of("certificate_authorities", List.of(other.caCertificate().toString())))), "default"));
        assertThatThrownBy(() -> wrong.send(List.of(event("x")))).isInstanceOf(OutputException.class)
                .hasMessageContaining("Elasticsearch output 'default'");
        assertThat(es.requests).isEmpty();
        ElasticsearchOutput none = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                "ssl", Map.of("verification_mode", "none"))), "default"));
        assertThat(none.send(List.of(event("x"))).accepted()).isEqualTo(1);
    }

    @Test
    void clientCertificateForMutualTls() throws Exception {
        es.close();
        es = new BulkStandIn(serverCert.credential(), pki.ca().certificate());
        TestCertificates.Issued client = pki.client("agent-1");
        Path passFile = Files.writeString(dir.resolve("pass"), "s3cret");
        ElasticsearchOutput withCert = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of("ssl", Map.of(
                "certificate_authorities", List.of(pki.caCertificate().toString()),
                "certificate", client.certificate().toString(),
                "key", client.encryptedKey("s3cret").toString(),
                "key_passphrase_path", passFile.toString()))), "default"));
        assertThat(withCert.send(List.of(event("x"))).accepted()).isEqualTo(1);
        ElasticsearchOutput without = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of("ssl", Map.of(
                "certificate_authorities", List.of(pki.caCertificate().toString())))), "default"));
        assertThatThrownBy(() -> without.send(List.of(event("x")))).isInstanceOf(OutputException.class);
        assertThat(es.requests).hasSize(1);
    }

    @Test
    void itemErrorsDropBadDocumentsButRetryOverload() {
        ElasticsearchOutput out = new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                "ssl", Map.of("certificate_authorities", List.of(pki.caCertificate().toString())))), "default"));
        es.answer = body -> "{\"errors\":true,\"items\":[{\"create\":{\"status\":201}},"
                + "{\"create\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"bad field\"}}}]}";
        BulkResult r = out.send(List.of(event("a"), event("b")));
        assertThat(r.accepted()).isEqualTo(1);
        assertThat(r.dropped()).isEqualTo(1);
        assertThat(r.firstDropReason()).isEqualTo("bad field");
        es.answer = body -> "{\"errors\":true,\"items\":[{\"create\":{\"status\":429}}]}";
        assertThatThrownBy(() -> out.send(List.of(event("a")))).isInstanceOf(OutputException.class).hasMessageContaining("429");
        es.status = 401;
        es.answer = body -> "{}";
        assertThatThrownBy(() -> out.send(List.of(event("a")))).hasMessageContaining("api_key");
    }

    @Test
    void shipperKeepsEventsQueuedWhileTheOutputFailsAndDeliversThemLater() throws Exception {
        try (DiskQueue q = new DiskQueue(dir.resolve("queue"))) {
            q.append(List.of(event("1"), event("2"), event("3")));
            Shipper shipper = new Shipper(q);
            Thread t = new Thread(shipper);
            t.start();
            try {
                TestCertificates other = pki.otherCa("other2");
                shipper.setOutput(new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                        "ssl", Map.of("certificate_authorities", List.of(other.caCertificate().toString())))), "default")));
                await(() -> shipper.lastError() != null);
                assertThat(q.pending()).isEqualTo(3);
                assertThat(es.requests).isEmpty();
                shipper.setOutput(new ElasticsearchOutput(OutputSettings.fromPolicy(policy(Map.of(
                        "ssl", Map.of("certificate_authorities", List.of(pki.caCertificate().toString())))), "default")));
                await(() -> q.pending() == 0);
                assertThat(es.documents()).hasSize(3);
                assertThat(es.documents().get(0)).contains("\"message\":\"1\"");
            } finally {
                shipper.stop();
                t.interrupt();
                t.join(5000);
            }
        }
    }

    @Test
    void outputSettingsExplainWhatIsMissing() {
        assertThatThrownBy(() -> OutputSettings.fromPolicy(Map.of("outputs", Map.of()), "default"))
                .isInstanceOf(AgentException.class).hasMessageContaining("no output named 'default'");
        assertThatThrownBy(() -> OutputSettings.fromPolicy(Map.of("outputs", Map.of("default",
                Map.of("type", "logstash", "hosts", List.of("x:5044")))), "default")).hasMessageContaining("logstash");
        OutputSettings s = OutputSettings.fromPolicy(Map.of("outputs", Map.of("default",
                Map.of("hosts", List.of("es:9200"), "api_key", "a:b"))), "default");
        assertThat(s.hosts().get(0).toString()).isEqualTo("http://es:9200");
        assertThat(s.toString()).doesNotContain("a:b");
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30s");
            }
            Thread.sleep(50);
        }
    }
}
