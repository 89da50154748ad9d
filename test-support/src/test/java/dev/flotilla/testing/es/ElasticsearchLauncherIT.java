package dev.flotilla.testing.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.eslocal.internal.PemSsl;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** One real node that requires client certificates: what it accepts and what it refuses. */
class ElasticsearchLauncherIT {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder()
            .clientAuthentication("required")
            .serviceTokens("fleet-1", "fleet-2")
            .user("shipper", "shipper-pw", ElasticsearchLauncher.OUTPUT_WRITER_ROLE)
            .role("events_reader", """
                    events_reader:
                      indices:
                        - names: ["logs-*"]
                          privileges: ["read"]
                    """)
            .user("reader", "reader-pw", "events_reader"));

    @TempDir
    Path temp;

    @Test
    void serviceTokenAuthenticatesOverHttpsWithTheCaAndClientCertificate() {
        HttpResponse<String> me = ES.node().get("/_security/_authenticate");

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"username\":\"elastic/fleet-server\"", "\"name\":\"fleet-1\"",
                "_service_account_file");
        assertThat(ES.node().uri().getScheme()).isEqualTo("https");
    }

    @Test
    void secondTokenWorksAndABadTokenIsRefused() {
        HttpResponse<String> second = ES.node().send(HttpRequest.newBuilder(ES.node().uri().resolve("/_security/_authenticate"))
                .header("Authorization", "Bearer " + ES.node().serviceToken("fleet-2")));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "\0\1\0\1elastic/fleet-server/fleet-1:not-the-secret".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> bad = ES.node().send(HttpRequest.newBuilder(ES.node().uri().resolve("/_security/_authenticate"))
                .header("Authorization", "Bearer " + forged));

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).contains("\"name\":\"fleet-2\"");
        assertThat(bad.statusCode()).isEqualTo(401);
    }

    @Test
    void curlWithTheCaAndClientCertificateIsAccepted() throws Exception {
        ClusterCertificates certs = ES.node().certificates();
        Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "20",
                "--cacert", certs.caCertificate().toString(),
                "--cert", certs.clientCertificate().toString(), "--key", certs.clientKey().toString(),
                "-H", "Authorization: Bearer " + ES.node().serviceToken(),
                ES.node().uri().resolve("/_cluster/health").toString())
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(curl.exitValue()).as(out).isZero();
        assertThat(out).contains("\"cluster_name\":\"flotilla-test\"");
    }

    @Test
    void aClientWithoutCertificateIsRefusedWhenTheClusterRequiresOne() {
        HttpClient noCert = HttpClient.newBuilder().sslContext(ES.node().sslContext(false)).build();

        assertThatThrownBy(() -> noCert.send(request("/"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheCluster() {
        ClusterCertificates other = ClusterCertificates.create(temp.resolve("other"), "Some Other CA");
        SSLContext wrongCa = PemSsl.context(other.caCertificate(), other.clientCertificate(), other.clientKey());
        HttpClient client = HttpClient.newBuilder().sslContext(wrongCa).build();

        assertThatThrownBy(() -> client.send(request("/"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX");
    }

    @Test
    void outputUserMayWriteEventsButNotFleetState() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("shipper:shipper-pw".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> event = ES.node().send(HttpRequest.newBuilder(ES.node().uri().resolve("/logs-flotilla-test/_doc?refresh=true"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hello\",\"@timestamp\":\"2026-01-01T00:00:00Z\"}")));
        HttpResponse<String> fleetState = ES.node().send(HttpRequest.newBuilder(ES.node().uri().resolve("/.fleet-agents/_doc"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"active\":true}")));
        HttpResponse<String> found = ES.node().send(HttpRequest.newBuilder(ES.node().uri().resolve("/logs-flotilla-test/_search?q=message:hello"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("reader:reader-pw".getBytes(StandardCharsets.UTF_8))));

        assertThat(event.statusCode()).as(event.body()).isEqualTo(201);
        assertThat(fleetState.statusCode()).isEqualTo(403);
        assertThat(found.body()).contains("\"hello\"");
    }

    @Test
    void stopAndStartKeepsPortAndData() {
        ES.node().send(HttpRequest.newBuilder(ES.node().uri().resolve("/.fleet-agents/_doc/restart-probe?refresh=true"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"active\":true}")));
        int port = ES.node().port();

        ES.node().stop();
        assertThat(ES.node().isRunning()).isFalse();
        assertThatThrownBy(() -> ES.node().get("/")).hasMessageContaining("did not answer");
        ES.node().start();

        assertThat(ES.node().port()).isEqualTo(port);
        assertThat(ES.node().get("/.fleet-agents/_doc/restart-probe").body()).contains("\"found\":true");
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(ES.node().uri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + ES.node().serviceToken()).GET().build();
    }

}
