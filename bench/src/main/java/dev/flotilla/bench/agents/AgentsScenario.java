package dev.flotilla.bench.agents;

import dev.flotilla.bench.handshake.FreePort;
import dev.flotilla.bench.handshake.HandshakeCertificates;
import dev.flotilla.bench.internal.Options;
import dev.flotilla.bench.report.Figure;
import dev.flotilla.bench.report.ScenarioRun;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Simulated agents against a Fleet Server in its own JVM, over mTLS (P-256, one client certificate shared by all
 * agents): durable enrollments/s, then agents held in long poll at growing counts with the server's RSS per
 * agent and the fan-out latency of a policy change to all of them, then a reconnect storm after a server restart.
 */
public final class AgentsScenario {

    private final Options options;
    private final Path work;
    private final ScenarioRun.Recorder run;

    public AgentsScenario(Options options, Path work, ScenarioRun.Recorder run) {
        this.options = options;
        this.work = work;
        this.run = run;
    }

    public void execute() throws Exception {
        List<Integer> levels = options.integers("agents", "1000,5000,10000");
        int inFlight = options.integer("ramp-in-flight", 200);
        int sources = options.integer("source-addresses", 16);
        String cpus = options.string("server-cpus", "0");
        String heap = options.string("server-heap", "3g");
        Duration rampTimeout = options.duration("ramp-timeout", "180");
        Duration fanoutTimeout = options.duration("fanout-timeout", "60");
        long fdLimit = fdLimit();
        int cap = (int) Math.max(100, fdLimit - 400);
        Files.createDirectories(work);
        HandshakeCertificates certs = HandshakeCertificates.create("P-256", work.resolve("certs"));
        int port = FreePort.find();
        Path dataDir = work.resolve("data");
        Path log = work.resolve("fleet-server.log");
        run.note(String.format(Locale.ROOT, "Fleet Server in its own JVM (-Xmx%s, G1%s) pinned to CPU %s, SQLite store "
                + "(WAL, synchronous=FULL) in %s; the agents in this JVM on the other CPU; mTLS with P-256 certificates, "
                + "one client certificate for all agents; %d source addresses; agent-facing rate limits raised (the "
                + "defaults cap enroll at 100/s and check-in at 1,000/s); per-process open-file limit %d (hard limit, "
                + "cannot be raised in this VM), so at most %,d agents per run", heap,
                serverJvm().isEmpty() ? "" : " " + String.join(" ", serverJvm()), cpus, dataDir, sources, fdLimit, cap));
        ServerProcess server = ServerProcess.start(port, dataDir, certs, cpus, heap, log, jfr("agents-server"), serverJvm());
        try (AgentFleet fleet = new AgentFleet(clientContext(certs), server.token, port, sources,
                options.integer("client-threads", 1), options.duration("handshake-timeout", "10"))) {
            Thread.sleep(1000);
            long[] base = server.stats();
            long rss0 = server.rssKiB();
            long heap0 = base[2];
            enrollments(fleet);

            long revision = 1;
            int reached = 0;
            for (int requested : levels) {
                int n = Math.min(requested, cap);
                if (n < requested) {
                    run.note(String.format(Locale.ROOT, "%,d agents requested, %,d run: the open-file limit (%d) caps "
                            + "one server process", requested, n, fdLimit));
                }
                if (n <= reached) {
                    continue;
                }
                long t0 = System.nanoTime();
                boolean all = fleet.grow(n, inFlight, rampTimeout);
                double rampSeconds = (System.nanoTime() - t0) / 1e9;
                long[] stats = server.stats();
                long rss = server.rssKiB();
                System.out.printf(Locale.ROOT, "  %,d agents: ramp %.1f s, polling %,d, server sees %,d connections / "
                        + "%,d waiting, RSS %,d KiB, errors %d (%s)%n", n, rampSeconds, fleet.polling.get(), stats[0],
                        stats[1], rss, fleet.errors.get(), fleet.firstError.get());
                if (!all) {
                    run.note(String.format(Locale.ROOT, "only %,d of %,d agents reached the long poll within %s; "
                            + "first error: %s", fleet.polling.get(), n, rampTimeout, fleet.firstError.get()));
                }
                int held = (int) stats[1];
                reached = n;
                memory(n, held, rss0, rss, heap0, stats[2]);
                run.add(Figure.plain("agents", String.format(Locale.ROOT, "ramp to %,d agents (mTLS + enroll + check-in + ack)", n),
                        n / rampSeconds, "agents/s", String.format(Locale.ROOT, "%.1f s, %d in flight at a time", rampSeconds, inFlight)));
                revision = fanout(fleet, server, revision, held, fanoutTimeout);
                fleet.grow(n, inFlight, Duration.ofSeconds(30)); // acks done, all back in long poll
            }
            diagnostics(server, reached);
            server = restartStorm(fleet, server, port, dataDir, certs, cpus, heap, log, reached);
        } finally {
            server.close();
        }
    }

    private void enrollments(AgentFleet fleet) throws InterruptedException {
        int connections = options.integer("enroll-connections", 32);
        Duration length = options.duration("enroll-seconds", "10");
        AgentFleet.EnrollLoad e = fleet.enrollLoad(connections, length);
        run.add(Figure.plain("agents", "enrollments/s, durable (SQLite synchronous=FULL)", e.perSecond(), "1/s",
                String.format(Locale.ROOT, "%,d enrollments in %.1f s over %d keep-alive mTLS connections; errors %d (%s)",
                        e.enrollments(), e.seconds(), connections, fleet.errors.get(), fleet.firstError.get()))
                .withTarget(">= 2,000/s", e.perSecond() >= 2000));
        // the enrollment figure is the reference point of the CPU the store costs; not a same-run ratio
    }

    private int previousHeld;
    private long previousRss;

    private void memory(int n, int held, long rss0, long rss, long heap0, long heapN) {
        if (previousHeld > 0 && held > previousHeld) {
            // what each further agent costs once the heap has grown through the enrollment burst and first ramp
            double marginal = (rss - previousRss) / (double) (held - previousHeld);
            run.add(Figure.plain("agents", String.format(Locale.ROOT, "server RSS per added agent, %,d -> %,d",
                    previousHeld, held), marginal, "KiB", String.format(Locale.ROOT, "(RSS %,d KiB - %,d KiB) / %,d "
                    + "more waiting check-ins", rss, previousRss, held - previousHeld)));
        }
        previousHeld = held;
        previousRss = rss;
        double rssPerAgent = (rss - rss0) / (double) Math.max(1, held);
        double heapPerAgent = (heapN - heap0) / 1024.0 / Math.max(1, held);
        run.add(Figure.plain("agents", String.format(Locale.ROOT, "server RSS per agent in long poll at %,d", n),
                rssPerAgent, "KiB", String.format(Locale.ROOT, "(RSS %,d KiB - %,d KiB before any agent) / %,d waiting "
                        + "check-ins; live heap after GC %.1f KiB per agent", rss, rss0, held, heapPerAgent))
                .withTarget("<= 16 KiB (Elastic ~135 KiB)", rssPerAgent <= 16));
        run.add(Figure.plain("agents", String.format(Locale.ROOT, "agents held in long poll (of %,d)", n), held,
                "agents", "waiting check-ins counted by the server"));
        run.point("RSS per agent (KiB)", held, rssPerAgent);
        run.point("live heap per agent (KiB)", held, heapPerAgent);
    }

    private long fanout(AgentFleet fleet, ServerProcess server, long revision, int held, Duration timeout)
            throws IOException, InterruptedException {
        long expected = revision + 1;
        fleet.watch(expected);
        long written = server.policy();
        if (written != expected) {
            fleet.watch(written);
        }
        int n = fleet.size();
        boolean all = AgentFleet.await(() -> fleet.arrived.get() >= n, System.nanoTime() + timeout.toNanos());
        double[] p = fleet.arrivalPercentiles(0.5, 0.99, 1.0);
        run.add(Figure.plain("agents", String.format(Locale.ROOT, "policy fan-out p99 to %,d agents", n), p[1], "ms",
                String.format(Locale.ROOT, "p50 %.0f ms, max %.0f ms; %,d of %,d got revision %d%s", p[0], p[2],
                        fleet.arrived.get(), n, written, all ? "" : " within " + timeout))
                .withTarget("p99 <= 2 s at 50,000", n >= 50_000 ? (Boolean) (all && p[1] <= 2000) : null));
        run.point("fan-out p99 (ms)", n, p[1]);
        run.point("fan-out p50 (ms)", n, p[0]);
        return written;
    }

    private ServerProcess restartStorm(AgentFleet fleet, ServerProcess server, int port, Path dataDir,
                                       HandshakeCertificates certs, String cpus, String heap, Path log, int n)
            throws IOException, InterruptedException {
        if (n == 0 || !Boolean.parseBoolean(options.string("storm", "true"))) {
            return server;
        }
        long errorsBefore = fleet.errors.get();
        fleet.firstError.set(null);
        fleet.errorKinds.clear();
        server.stop();
        long t0 = System.nanoTime();
        ServerProcess restarted = ServerProcess.start(port, dataDir, certs, cpus, heap, log, jfr("agents-server-restarted"), serverJvm());
        double listening = (System.nanoTime() - t0) / 1e9;
        long deadline = System.nanoTime() + options.duration("storm-timeout", "120").toNanos();
        long[] stats = restarted.stats();
        while (stats[1] < n && System.nanoTime() < deadline) {
            Thread.sleep(250);
            stats = restarted.stats();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean all = stats[1] >= n;
        System.out.printf(Locale.ROOT, "  storm: server counts %,d connections / %,d waiting; agents think %,d are polling; "
                + "%,d errors since the restart, most frequent: %s%n", stats[0], stats[1], fleet.polling.get(),
                fleet.errors.get() - errorsBefore, fleet.topErrors(4));
        String how = String.format(Locale.ROOT, "from the new server JVM's launch (listening after %.1f s); "
                + "agents back off 0.5 s doubling to 8 s, jittered, TLS handshake timeout %d s; errors meanwhile: %s",
                listening, options.integer("handshake-timeout", 10), fleet.topErrors(3));
        if (all) {
            run.add(Figure.plain("agents", String.format(Locale.ROOT, "reconnect storm: %,d agents back in long poll after a restart", n),
                    seconds, "s", how).withTarget("50,000 within 30 s", n >= 50_000 ? (Boolean) (seconds <= 30) : null));
        } else {
            run.add(Figure.plain("agents", String.format(Locale.ROOT, "reconnect storm: agents back in long poll %.0f s after a restart (of %,d)", seconds, n),
                    stats[1], "agents", "NOT ALL BACK: " + how).withTarget("50,000 within 30 s", n >= 50_000 ? false : null));
        }
        return restarted;
    }

    /**
     * With --jfr=true: the server's native memory summary (NMT) and heap histogram at the largest agent count,
     * written next to the JFR recordings, to show where the RSS per agent goes.
     */
    private void diagnostics(ServerProcess server, int agents) {
        Path jfr = jfr("agents-server");
        if (jfr == null) {
            return;
        }
        for (String command : List.of("VM.native_memory summary", "GC.class_histogram")) {
            List<String> cmd = new java.util.ArrayList<>(List.of("jcmd", Long.toString(server.pid())));
            cmd.addAll(List.of(command.split(" ")));
            dev.flotilla.bench.internal.Processes.Result r = dev.flotilla.bench.internal.Processes.run(cmd, work,
                    Duration.ofSeconds(60));
            Path out = jfr.resolveSibling("agents-server-" + command.split(" ")[0] + "-" + agents + ".txt");
            try {
                Files.writeString(out, r.output());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.out.println("  " + command + " at " + agents + " agents: " + out);
        }
    }

    /** Extra JVM options for the server, comma separated: --server-jvm=-XX:MaxHeapFreeRatio=20,-XX:MinHeapFreeRatio=10 */
    private List<String> serverJvm() {
        return java.util.Arrays.stream(options.string("server-jvm", "").split(",")).map(String::strip)
                .filter(o -> !o.isEmpty()).toList();
    }

    /** With --jfr=true, where the server JVM writes its CPU profile (bench/reports/profiles/NAME.jfr). */
    private Path jfr(String name) {
        if (!Boolean.parseBoolean(options.string("jfr", "false"))) {
            return null;
        }
        return Path.of(options.string("profiles", "bench/reports/profiles")).toAbsolutePath().resolve(name + ".jfr");
    }

    private static SslContext clientContext(HandshakeCertificates certs) throws IOException {
        return SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).trustManager(certs.ca().toFile())
                .keyManager(certs.clientCertificate().toFile(), certs.clientKey().toFile())
                .endpointIdentificationAlgorithm(null).build();
    }

    private static long fdLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(line.split("\\s+")[3]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
        return 1024;
    }
}
