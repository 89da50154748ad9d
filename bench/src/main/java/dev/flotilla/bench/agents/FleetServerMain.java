package dev.flotilla.bench.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.bench.internal.BenchTls;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.http.HttpSettings;
import dev.flotilla.server.limit.EndpointLimit;
import dev.flotilla.tls.ServerTls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Fleet Server under test, in its own JVM so its memory can be read from /proc. Driven over stdin by the
 * agents scenario, one command a line; answers on stdout (logs go to stderr):
 * <pre>
 *   (start)  -> "ready PORT TOKEN"      the enrollment token of the bench policy (a pipe, never a log)
 *   policy   -> "policy REVISION"       writes a new revision of the bench policy (wakes every long poll)
 *   stats    -> "stats CONNECTIONS WAITING HEAP_AFTER_GC_BYTES"
 *   count    -> "count CONNECTIONS WAITING"       (no GC: cheap enough to poll)
 *   stop     -> "stopped"               graceful close (waiting check-ins answer), then exit
 * </pre>
 * Arguments: {@code PORT DATA_DIR CERT KEY CLIENT_CA|- [WORKER]}; with {@code WORKER} (0..N-1) this JVM is one of N
 * workers sharing the port (SO_REUSEPORT) and the SQLite store, as {@code flotilla server --workers N} runs them;
 * only worker 0 (started first) writes the policy and the token, the others print {@code ready PORT -}. TLS comes from the tls module's {@code ServerTls}; with a
 * client CA the listener requires client certificates (mTLS), with {@code -} it is one-way TLS. The
 * agent-facing rate limits are raised far above the defaults (which would cap enrollments at 100/s and check-ins
 * at 1,000/s) because the scenario measures what the server can do, not what its limiter allows.
 */
public final class FleetServerMain {

    static final String POLICY = "bench-policy";

    private FleetServerMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but protocol lines on stdout
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        Path clientCa = args[4].equals("-") ? null : Path.of(args[4]);
        int worker = args.length > 5 ? Integer.parseInt(args[5]) : -1;
        ServerTls tls = BenchTls.server(Path.of(args[2]), Path.of(args[3]), clientCa, "fleet-server",
                FleetServerConfig.ticketKeyFile(dataDir)); // -Dflotilla.tls.persistent-tickets=false: in memory
        EndpointLimit open = new EndpointLimit(Duration.ofNanos(1000), 1_000_000, 0, 1024 * 1024);
        FleetServerConfig.Builder builder = FleetServerConfig.builder();
        if (worker >= 0) {
            builder.worker(worker);
        }
        FleetServerConfig config = builder.host("127.0.0.1").port(port).dataDir(dataDir)
                .tls(tls::newHandler, clientCa == null ? "one-way TLS (ServerTls)" : "mTLS (ServerTls)")
                .http(HttpSettings.defaults("127.0.0.1", port).withMaxConnections(1_000_000)
                        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(35)))
                .limit(FleetServerConfig.ENDPOINT_ENROLL, open)
                .limit(FleetServerConfig.ENDPOINT_CHECKIN, open)
                .limit(FleetServerConfig.ENDPOINT_ACK, open)
                .limit(FleetServerConfig.ENDPOINT_STATUS, open)
                .checkin(new CheckinSettings(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(1),
                        Duration.ofHours(1), Duration.ofSeconds(30)))
                .build();
        FleetServer server = FleetServer.start(config);
        String url = "https://127.0.0.1:" + server.port();
        String token = "-";
        if (worker <= 0) {
            if (server.policies().latest(POLICY).isEmpty()) {
                server.policies().put(POLICY, policy(url, 0));
            }
            token = server.enrollmentTokens().create("bench", POLICY).token();
        }
        out.println("ready " + server.port() + " " + token);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int edits = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.strip()) {
                case "policy" -> out.println("policy " + server.policies().put(POLICY, policy(url, ++edits)).revision());
                case "stats" -> {
                    System.gc();
                    out.println("stats " + server.openConnections() + " " + server.waitingCheckins() + " "
                            + memory.getHeapMemoryUsage().getUsed());
                }
                case "count" -> out.println("count " + server.openConnections() + " " + server.waitingCheckins());
                case "stop" -> {
                    server.close();
                    out.println("stopped");
                    System.exit(0);
                }
                default -> out.println("error unknown command '" + line + "' (policy, stats, count, stop)");
            }
        }
        server.close(); // stdin closed: the scenario is gone
        System.exit(0);
    }

    private static ObjectNode policy(String url, int edit) {
        return BenchPolicy.of(System.getProperty(BenchPolicy.PROPERTY, BenchPolicy.SYSTEM), url, edit);
    }
}
