package dev.flotilla.bench.agents;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One load-generator process: a slice of the simulated agents ({@link AgentFleet}) in its own JVM, because one
 * process may hold at most ~19,600 connections on this VM. Driven by {@link LoadGenerators} over stdin, one
 * command a line; answers one line each on stdout (logs go to stderr):
 * <pre>
 *   grow N IN_FLIGHT TIMEOUT_MS  -> "grown POLLING ERRORS"       this slice up to N agents in long poll
 *   enroll CONNECTIONS SECONDS   -> "enrolled COUNT SECONDS"     the durable enrollment load
 *   watch REVISION START_MS      -> "watching"                   time arrivals of REVISION from START_MS (wall clock)
 *   arrived                      -> "arrived COUNT"              how many got the watched revision so far
 *   arrivals                     -> "arrivals SIZE MS,MS,..."    arrival latencies so far (ms)
 *   status                       -> "status POLLING ERRORS SIZE HANDSHAKES RESUMED POLICY_ANSWERS GZIP WIRE_BYTES FULL_READS FULL_BYTES" and "errors FIRST | TOP" next
 *   clear-errors                 -> "cleared"
 *   stop                         -> "stopped", then exit
 * </pre>
 * Arguments: {@code PORT TOKEN CA CLIENT_CERT CLIENT_KEY SOURCE_PREFIX SOURCES CONNECT_TIMEOUT_MS
 * HANDSHAKE_TIMEOUT_MS IO_THREADS}.
 */
public final class LoadGeneratorMain {

    private LoadGeneratorMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int port = Integer.parseInt(args[0]);
        SslContext ssl = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(Path.of(args[2]).toFile())
                .keyManager(Path.of(args[3]).toFile(), Path.of(args[4]).toFile())
                .endpointIdentificationAlgorithm(null).sessionCacheSize(200_000).build(); // one session per agent
        try (AgentFleet fleet = new AgentFleet(ssl, args[1], port, args[5], Integer.parseInt(args[6]),
                Integer.parseInt(args[9]), Duration.ofMillis(Long.parseLong(args[7])),
                Duration.ofMillis(Long.parseLong(args[8])))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.strip().split(" ");
                switch (f[0]) {
                    case "grow" -> {
                        fleet.grow(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Duration.ofMillis(Long.parseLong(f[3])));
                        out.println("grown " + fleet.polling.get() + " " + fleet.errors.get());
                    }
                    case "enroll" -> {
                        AgentFleet.EnrollLoad e = fleet.enrollLoad(Integer.parseInt(f[1]),
                                Duration.ofMillis((long) (Double.parseDouble(f[2]) * 1000)));
                        out.println("enrolled " + e.enrollments() + " " + e.seconds());
                    }
                    case "watch" -> {
                        fleet.watch(Long.parseLong(f[1]), Long.parseLong(f[2]));
                        out.println("watching");
                    }
                    case "arrived" -> out.println("arrived " + fleet.arrived.get());
                    case "arrivals" -> {
                        long[] a = fleet.arrivals();
                        out.println("arrivals " + fleet.size() + " "
                                + Arrays.stream(a).mapToObj(Long::toString).collect(Collectors.joining(",")));
                    }
                    case "status" -> {
                        out.println("status " + fleet.polling.get() + " " + fleet.errors.get() + " " + fleet.size()
                                + " " + fleet.handshakes.get() + " " + fleet.resumed.get() + " "
                                + fleet.policyAnswers.get() + " " + fleet.gzipPolicyAnswers.get() + " "
                                + fleet.policyAnswerBytes.get() + " " + fleet.fullReads.get() + " "
                                + fleet.fullReadBytes.get());
                        out.println("errors " + fleet.firstError.get() + " | " + fleet.topErrors(4));
                    }
                    case "clear-errors" -> {
                        fleet.firstError.set(null);
                        fleet.errorKinds.clear();
                        out.println("cleared");
                    }
                    case "stop" -> {
                        fleet.close();
                        out.println("stopped");
                        System.exit(0);
                    }
                    default -> out.println("error unknown command '" + line + "'");
                }
            }
        }
        System.exit(0); // stdin closed: the scenario is gone
    }
}
