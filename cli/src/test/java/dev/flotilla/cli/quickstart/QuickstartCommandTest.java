package dev.flotilla.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.Flotilla;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The quickstart prints a working agent command and reuses what it made. */
@Timeout(120)
class QuickstartCommandTest {
    private static final Pattern COMMAND = Pattern.compile(
            "flotilla agent install --url=(https://localhost:\\d+) --enrollment-token=(\\S+)"
                    + " --certificate-authorities=(\\S+)");

    @TempDir
    Path dir;

    private QuickstartCommand command() {
        CommandLine cl = Flotilla.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs("quickstart", "--data-dir=" + dir.resolve("qs"),
                "--fleet-server-port=0", "--fleet-server-host=127.0.0.1", "--public-host=localhost");
        return (QuickstartCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void printsAWorkingAgentCommandAndReusesEverythingOnTheSecondRun() throws Exception {
        String token;
        String fingerprint;
        QuickstartCommand first = command();
        Quickstart.Result result = first.start();
        try (var server = result.server()) {
            StringWriter out = new StringWriter();
            first.print(result, new PrintWriter(out));
            Matcher m = COMMAND.matcher(out.toString());
            assertThat(m.find()).as(out.toString()).isTrue();
            token = m.group(2);
            Path ca = Path.of(m.group(3));
            assertThat(ca).exists();
            fingerprint = result.caFingerprint();
            assertThat(out.toString()).contains(fingerprint).contains("Created");
            assertThat(enroll(m.group(1), token, ca)).isEqualTo(200);
            assertThat(server.store().listAgents()).hasSize(1);

            // the management API: its URL, the web page, the admin key file (never the key) and a fleet command
            String printed = out.toString();
            String management = server.management().url().toString();
            Path keyFile = dir.resolve("qs/admin.key").toAbsolutePath();
            String key = Files.readString(keyFile).trim();
            assertThat(printed).contains("Fleet management API: " + management)
                    .contains(management + "/app/").contains(keyFile.toString())
                    .contains("flotilla fleet agents list --data-dir=" + dir.resolve("qs").toAbsolutePath()
                            + " --ca=" + ca)
                    .doesNotContain(key);
            assertThat(management).startsWith("https://127.0.0.1:");
            assertThat(Files.getPosixFilePermissions(keyFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            HttpResponse<String> agents = get(management + "/api/fleet/agents", "ApiKey " + key, ca);
            assertThat(agents.statusCode()).as(agents.body()).isEqualTo(200);
            assertThat(agents.body()).contains(server.store().listAgents().get(0).id());
            assertThat(get(management + "/api/fleet/agents", null, ca).statusCode()).isEqualTo(401);
            assertThat(get(management + "/api/fleet/agents", "ApiKey " + key + "x", ca).statusCode()).isEqualTo(401);
            assertThat(get(management + "/app/", null, ca).statusCode()).isEqualTo(200);
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("qs/enrollment-token")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

        QuickstartCommand second = command();
        Quickstart.Result again = second.start();
        try (var server = again.server()) {
            assertThat(again.reused()).isTrue();
            assertThat(again.token()).isEqualTo(token);
            assertThat(again.caFingerprint()).isEqualTo(fingerprint);
            assertThat(server.store().listAgents()).hasSize(1);
            assertThat(server.store().listPolicies()).hasSize(1);
            assertThat(enroll(again.url(), again.token(), again.ca())).isEqualTo(200);
            // a revoked token is replaced on the next run
            server.enrollmentTokens().revoke(server.store().listEnrollmentKeys().get(0).id());
        }
        Quickstart.Result third = command().start();
        try (var server = third.server()) {
            assertThat(third.token()).isNotEqualTo(token);
            assertThat(enroll(third.url(), third.token(), third.ca())).isEqualTo(200);
            assertThat(enroll(third.url(), token, third.ca())).isEqualTo(401);
        }
    }

    @Test
    void aBusyElasticsearchPortIsOneLineNamingThePortAndTheFlagAndStartsNothing() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String error = failedQuickstartWithElasticsearchOn(busy.getLocalPort());

            assertThat(error).hasLineCount(1)
                    .contains("port " + busy.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("--elasticsearch-port=<port>");
            assertThat(dir.resolve("qs/elasticsearch")).doesNotExist();
        }
    }

    @Test
    void anElasticsearchLeftRunningByAKilledQuickstartIsNamedWithItsPid() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // open to uid 65534
        Path esDir = dir.resolve("qs/elasticsearch");
        Path launcher = Files.createDirectories(esDir.resolve("home/bin")).resolve("elasticsearch");
        // a stand-in whose command line names the node's launcher, as a real leftover's does
        Process leftover = new ProcessBuilder("sh", "-c", "sleep 60; true", launcher.toString()).start();
        try (ServerSocket itsPort = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String error = failedQuickstartWithElasticsearchOn(itsPort.getLocalPort());

            assertThat(error).hasLineCount(1)
                    .contains("still runs from " + esDir.toAbsolutePath())
                    .contains("kill " + leftover.pid());
        } finally {
            leftover.destroyForcibly().waitFor();
        }
        QuickstartElasticsearch.requireNoLeftover(esDir); // gone: nothing to say
    }

    @Test
    void elasticsearchsDirectoryIsInTheDataDirUnlessRootsUnprivilegedUserCannotEnterIt() throws Exception {
        Path open = Files.createDirectories(dir.resolve("open/qs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectories(dir.resolve("closed/qs"));
        Files.setPosixFilePermissions(dir.resolve("closed"), PosixFilePermissions.fromString("rwx------"));
        List<String> said = new ArrayList<>();

        assertThat(QuickstartElasticsearch.directory(closed, false, said::add)).isEqualTo(closed.resolve("elasticsearch"));
        assertThat(said).isEmpty();
        assertThat(QuickstartElasticsearch.closedToOthers(open)).isNull();
        assertThat(QuickstartElasticsearch.directory(open, true, said::add)).isEqualTo(open.resolve("elasticsearch"));
        assertThat(said).isEmpty();
        Path fallback = QuickstartElasticsearch.directory(closed, true, said::add);
        assertThat(fallback.getParent()).isEqualTo(Path.of("/var/tmp"));
        assertThat(fallback).isEqualTo(QuickstartElasticsearch.directory(closed, true, s -> { }));
        assertThat(fallback).isNotEqualTo(QuickstartElasticsearch.directory(dir.resolve("closed/other"), true, s -> { }));
        assertThat(said).singleElement().asString().contains(dir.resolve("closed").toString())
                .contains(fallback.toString()).contains("uid 65534");
    }

    /** Runs {@code quickstart --with-elasticsearch} expecting exit 1; returns what it printed on stderr. */
    private String failedQuickstartWithElasticsearchOn(int esPort) {
        CommandLine cl = Flotilla.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cl.execute("quickstart", "--data-dir=" + dir.resolve("qs"), "--fleet-server-port=0",
                "--fleet-server-host=127.0.0.1", "--with-elasticsearch", "--elasticsearch-port=" + esPort);
        assertThat(exit).as(err.toString()).isEqualTo(1);
        return err.toString().strip();
    }

    private static HttpResponse<String> get(String url, String authorization, Path ca) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return client(ca).send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client(Path ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", dev.flotilla.pki.Pem.readCertificates(ca).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static int enroll(String url, String token, Path ca) throws Exception {
        HttpClient client = client(ca);
        String body = "{\"type\":\"PERMANENT\",\"metadata\":{\"local\":{},\"user_provided\":{}}}";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/api/fleet/agents/enroll"))
                .header("Authorization", "ApiKey " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
