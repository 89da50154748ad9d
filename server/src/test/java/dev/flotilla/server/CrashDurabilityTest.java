package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An enrollment answered 200 is in the SQLite file after the server process is killed with SIGKILL. */
@Timeout(120)
class CrashDurabilityTest {
    @TempDir
    Path dir;

    /** Runs a Fleet Server in its own JVM; writes "port token" to {@code <dir>/ready} when serving. */
    public static void main(String[] args) throws Exception {
        Path d = Path.of(args[0]);
        FleetServer server = FleetServer.start(TestFleet.base(d).host("127.0.0.1").insecureHttp(true).build());
        server.policies().put(TestFleet.POLICY, Policies.starter(List.of(server.url().toString()), "https://es:9200"));
        EnrollmentTokens.Created token = server.enrollmentTokens().create("crash", TestFleet.POLICY);
        Files.writeString(d.resolve("ready.tmp"), server.port() + " " + token.token());
        Files.move(d.resolve("ready.tmp"), d.resolve("ready"));
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void enrollmentsSurviveKillDashNine() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CrashDurabilityTest.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        List<String> ids = new ArrayList<>();
        try {
            AgentFlowTest.awaitTrue(() -> Files.exists(dir.resolve("ready")) || !p.isAlive(), "the server is ready");
            assertThat(p.isAlive()).as("server process; log: %s", dir.resolve("server.log")).isTrue();
            String[] ready = Files.readString(dir.resolve("ready"), StandardCharsets.UTF_8).split(" ");
            ApiClient client = new ApiClient(URI.create("http://127.0.0.1:" + ready[0]), null);
            for (int i = 0; i < 5; i++) {
                ApiClient.Reply r = client.enroll(ready[1]);
                assertThat(r.status()).isEqualTo(200);
                ids.add(r.json().path("item").path("id").asText());
            }
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isEqualTo(137);
        try (SqliteFleetStore store = SqliteFleetStore.openInDirectory(dir.resolve("data"))) {
            for (String id : ids) {
                assertThat(store.findAgent(id)).as("agent %s after kill -9", id).isPresent();
            }
            assertThat(store.findAgent("never-enrolled")).isEmpty();
        }
    }
}
