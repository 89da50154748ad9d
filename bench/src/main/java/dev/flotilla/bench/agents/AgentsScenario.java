package dev.flotilla.bench.agents;

import dev.flotilla.bench.handshake.FreePort;
import dev.flotilla.bench.handshake.HandshakeCertificates;
import dev.flotilla.bench.internal.AsyncProfiler;
import dev.flotilla.bench.internal.Options;
import dev.flotilla.bench.internal.ProfileTop;
import dev.flotilla.bench.report.Figure;
import dev.flotilla.bench.report.ScenarioRun;
import io.netty.util.NetUtil;
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
    /** The simulated agents' TCP connect and TLS handshake timeouts (a real Elastic Agent's are 10 min). */
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;

    public AgentsScenario(Options options, Path work, ScenarioRun.Recorder run) {
        this.options = options;
        this.work = work;
        this.run = run;
        this.connectTimeout = options.duration("connect-timeout", "120");
        this.handshakeTimeout = options.duration("handshake-timeout", "120");
    }

    /** Agents per process (server worker or load generator): one process may open 20,000 files on this VM. */
    static final int PER_PROCESS = 18_000;

    public void execute() throws Exception {
        List<Integer> levels = options.integers("agents", "1000,5000,10000");
        int largest = levels.stream().mapToInt(Integer::intValue).max().orElse(0);
        int perProcess = options.integer("per-process", PER_PROCESS);
        int processes = Math.max(1, (largest + perProcess - 1) / perProcess);
        int serverWorkers = options.integer("server-workers", processes);
        int generators = options.integer("load-generators", processes);
        int inFlight = options.integer("ramp-in-flight", 200);
        int sources = options.integer("source-addresses", 16);
        String cpus = options.string("server-cpus", "0");
        String heap = options.string("server-heap", serverWorkers > 1 ? "1g" : "3g");
        Duration fanoutTimeout = options.duration("fanout-timeout", "60");
        long fdLimit = fdLimit();
        int cap = (int) Math.max(100, fdLimit - 400);
        Files.createDirectories(work);
        HandshakeCertificates certs = HandshakeCertificates.create("P-256", work.resolve("certs"));
        int port = FreePort.find();
        Path dataDir = work.resolve("data");
        Path log = work.resolve("fleet-server.log");
        run.note(String.format(Locale.ROOT, "Fleet Server in %s (-Xmx%s each, the options of "
                + "cli/jvm/long-running.options%s) pinned to CPU %s, SQLite store "
                + "(WAL, synchronous=FULL) in %s; the agents in %d load-generator JVM%s (127.0.K.1-%d source addresses "
                + "each) on the other CPU; mTLS with P-256 certificates, one client certificate for all agents; "
                + "agent-facing rate limits raised (the defaults cap enroll at 100/s and check-in at 1,000/s); "
                + "per-process open-file limit %d (hard limit, cannot be raised in this VM), so at most ~%,d agents per "
                + "process", serverWorkers == 1 ? "one JVM" : serverWorkers + " worker JVMs sharing the port "
                + "(SO_REUSEPORT) and the store, as `flotilla server --workers " + serverWorkers + "` runs them", heap,
                serverJvm().isEmpty() ? "" : " " + String.join(" ", serverJvm()), cpus, dataDir, generators,
                generators == 1 ? "" : "s", sources, fdLimit, cap));
        run.note("the Fleet Server JVMs start from " + ServerProcess.startsFrom());
        String policy = policy();
        run.note(String.format(Locale.ROOT, "the policy: %s (--policy=%s; %,d bytes of JSON as stored); the agents "
                        + "%s; each agent reads the first %,d bytes of a check-in answer (inflated), one answer in %d "
                        + "whole (gzip trailer checked, all the JSON parsed)",
                policy.equals(BenchPolicy.SYSTEM) ? "shaped like Fleet's System integration policy"
                        : "the product's starter policy", policy,
                dev.flotilla.server.http.Json.text(BenchPolicy.of(policy, "https://127.0.0.1:" + port, 1)).length(),
                gzip()
                        ? "send Accept-Encoding: gzip (--gzip=true, as Go's HTTP client in an Elastic Agent does)"
                        : "send no Accept-Encoding (--gzip=false)",
                CheckinAnswer.HEAD_BYTES, fullReadEvery()));
        if (!clientJvm().isEmpty()) {
            run.note("the load generators run with " + String.join(" ", clientJvm()));
        }
        String serverJava = ServerProcess.serverJavaHome();
        if (!serverJava.equals(System.getProperty("java.home"))) {
            run.note("the Fleet Server JVMs run on " + serverJava + " ("
                    + ServerProcess.SERVER_JAVA_ENV + "), the load generators on " + System.getProperty("java.home"));
        }
        ServerGroup server = ServerGroup.start(serverWorkers, port, dataDir, certs, cpus, heap, log,
                jfr("agents-server"), serverJvm(), false);
        try (LoadGenerators fleet = LoadGenerators.start(generators, port, server.token, certs, sources,
                connectTimeout, handshakeTimeout, options.integer("client-threads", 1),
                options.string("client-heap", "1g"), clientJvm(), work)) {
            Thread.sleep(1000);
            long[] base = server.stats();
            long rss0 = settledRss(server);
            long heap0 = base[2];
            enrollments(fleet);

            long revision = 1;
            int reached = 0;
            for (int requested : levels) {
                int n = Math.min(requested, cap * Math.min(serverWorkers, generators));
                if (n < requested) {
                    run.note(String.format(Locale.ROOT, "%,d agents requested, %,d run: the open-file limit (%d) caps "
                            + "each process (%d server workers, %d load generators)", requested, n, fdLimit,
                            serverWorkers, generators));
                }
                if (n <= reached) {
                    continue;
                }
                Duration rampTimeout = options.duration("ramp-timeout", Long.toString(Math.max(180, n / 100)));
                long t0 = System.nanoTime();
                int polling = fleet.grow(n, inFlight, rampTimeout);
                double rampSeconds = (System.nanoTime() - t0) / 1e9;
                long[] stats = server.stats();
                long rss = settledRss(server);
                long[] agents = fleet.status();
                System.out.printf(Locale.ROOT, "  %,d agents: ramp %.1f s, polling %,d, server sees %,d connections / "
                        + "%,d waiting (per worker %s), RSS %,d KiB, load generators' RSS %,d KiB, errors %d (%s)%n", n,
                        rampSeconds, polling, stats[0], stats[1], server.waitingPerWorker(), rss, fleet.rssKiB(),
                        agents[1], fleet.errors());
                if (polling < n) {
                    run.note(String.format(Locale.ROOT, "only %,d of %,d agents reached the long poll within %s; "
                            + "errors: %s", polling, n, rampTimeout, fleet.errors()));
                }
                int held = (int) stats[1];
                reached = n;
                memory(n, held, rss0, rss, heap0, stats[2], server.size());
                run.add(Figure.plain("agents", String.format(Locale.ROOT, "ramp to %,d agents (mTLS + enroll + check-in + ack)", n),
                        n / rampSeconds, "agents/s", String.format(Locale.ROOT, "%.1f s, %d in flight at a time", rampSeconds, inFlight)));
                // the first policy changes after a ramp run code the server has not compiled yet: each of 3 workers
                // answers ~16,700 wake-ups per round, and C2 takes the wake-up, ack and check-in paths over during
                // rounds 2 and 3 (2026-12-07: compiler threads 28% / 27% / 10% / 6% of the server's samples in
                // rounds 1-4; server CPU 3.59 / 2.54 / 2.19 / 2.05 s). The figure is the last of 4 (a server that
                // has run for a while), each earlier one is reported beside it.
                int rounds = Math.max(1, options.integer("fanouts", 4));
                for (int round = 1; round <= rounds; round++) {
                    revision = fanout(fleet, server, revision, n, fanoutTimeout, round, rounds);
                    fleet.grow(n, inFlight, Duration.ofSeconds(60)); // every agent has sent its next check-in
                    serverHolds(server, n, Duration.ofSeconds(60)); // and the server has them all waiting again
                }
            }
            diagnostics(server, reached);
            server = restartStorm(fleet, server, serverWorkers, port, dataDir, certs, cpus, heap, log, reached);
        } finally {
            server.close();
        }
    }

    /**
     * Waits until the server counts {@code n} waiting check-ins: a load generator counts an agent as back in the
     * long poll when it has sent the check-in, while the server may still be working through the acks and
     * check-ins before it; the next measurement starts from a server with nothing queued.
     */
    private static void serverHolds(ServerGroup server, int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long waiting = server.count()[1];
        while (waiting < n && System.nanoTime() < deadline) {
            Thread.sleep(200);
            waiting = server.count()[1];
        }
        if (waiting < n) {
            System.out.printf(Locale.ROOT, "  note: the server counts %,d of %,d check-ins waiting after %s%n", waiting,
                    n, timeout);
        }
    }

    /**
     * The server's RSS once it has given back what the GC just freed: G1 uncommits freed heap regions concurrently,
     * after the GC, so an immediate reading still counts them. Polls every 250 ms until a reading is within 0.5%
     * of the one before (at most 10 s).
     */
    private static long settledRss(ServerGroup server) throws InterruptedException {
        long previous = server.rssKiB();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(250);
            long now = server.rssKiB();
            if (Math.abs(now - previous) <= previous / 200) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private void enrollments(LoadGenerators fleet) throws IOException {
        int connections = options.integer("enroll-connections", 32);
        Duration length = options.duration("enroll-seconds", "10");
        AgentFleet.EnrollLoad e = fleet.enroll(connections, length);
        long[] status = fleet.status();
        run.add(Figure.plain("agents", "enrollments/s, durable (SQLite synchronous=FULL)", e.perSecond(), "1/s",
                String.format(Locale.ROOT, "%,d enrollments in %.1f s over %d keep-alive mTLS connections; errors %d (%s)",
                        e.enrollments(), e.seconds(), connections, status[1], fleet.errors()))
                .withTarget(">= 2,000/s", e.perSecond() >= 2000));
        fleet.clearErrors();
    }

    private int previousHeld;
    private long previousRss;

    private void memory(int n, int held, long rss0, long rss, long heap0, long heapN, int workers) {
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
                        + "check-ins; live heap after GC %.1f KiB per agent%s", rss, rss0, held, heapPerAgent,
                        workers > 1 ? "; RSS and heap summed over " + workers + " worker JVMs" : ""))
                .withTarget("<= 16 KiB (Elastic ~135 KiB)", rssPerAgent <= 16));
        run.add(Figure.plain("agents", String.format(Locale.ROOT, "agents held in long poll (of %,d)", n), held,
                "agents", "waiting check-ins counted by the server"));
        run.point("RSS per agent (KiB)", held, rssPerAgent);
        run.point("live heap per agent (KiB)", held, heapPerAgent);
    }

    private final List<String> earlierFanouts = new java.util.ArrayList<>();
    /** async-profiler, extracted the first time a phase is profiled. */
    private AsyncProfiler profiler;

    private long fanout(LoadGenerators fleet, ServerGroup server, long revision, int n, Duration timeout, int round,
                        int rounds) throws IOException, InterruptedException {
        long expected = revision + 1;
        Profiling profiling = profile("fanout-" + n + (rounds > 1 ? "-" + round : ""), server.pids(), fleet.pids());
        long[] answersBefore = fleet.status();
        long start = System.currentTimeMillis();
        fleet.watch(expected, start);
        long written = server.policy();
        long writeMillis = System.currentTimeMillis() - start;
        if (written != expected) {
            fleet.watch(written, start);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // when each worker's waiting check-ins were woken: the first count below 99% and below 1% of the start
        List<Long> held = server.waitingPerWorker();
        long[] began = new long[held.size()];
        long[] woke = new long[held.size()];
        // polled by count only: the arrival list is fetched once at the end, not while agents are recording theirs
        long arrived = fleet.arrived();
        // which side bounds the fan-out: the server's and the load generators' CPU over each step
        StringBuilder timeline = new StringBuilder();
        CpuSteps cpu = new CpuSteps(server.pids(), fleet.pids());
        while ((arrived < n || java.util.Arrays.stream(woke).anyMatch(t -> t == 0)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            List<Long> now = server.waitingPerWorker();
            long at = System.currentTimeMillis() - start;
            String cpuStep = cpu.step();
            for (int w = 0; w < held.size(); w++) {
                if (began[w] == 0 && now.get(w) < held.get(w) * 99 / 100) {
                    began[w] = at;
                }
                if (woke[w] == 0 && now.get(w) < Math.max(1, held.get(w) / 100)) {
                    woke[w] = at;
                }
            }
            arrived = fleet.arrived();
            timeline.append(String.format(Locale.ROOT, "%s+%,d %,d (%s)", timeline.length() == 0 ? "" : ", ", at,
                    arrived, cpuStep));
        }
        profiling.stop();
        System.out.printf(Locale.ROOT, "  fan-out round %d timeline (ms since the write began, agents that have the "
                + "revision (server CPU / load generators' CPU over the step, 100%% = one core)): %s; CPU-s over the "
                + "window: server %.2f, load generators %.2f%n", round, timeline, cpu.serverSeconds(),
                cpu.clientSeconds());
        long[] arrivals = fleet.arrivals();
        StringBuilder workers = new StringBuilder();
        for (int w = 0; w < held.size(); w++) {
            workers.append(String.format(Locale.ROOT, "%sworker %d: %,d woken from +%,d to +%,d ms", w == 0 ? "" : ", ",
                    w, held.get(w), began[w], woke[w]));
        }
        System.out.printf(Locale.ROOT, "  fan-out round %d: policy written in %,d ms; %s (200 ms polls; 0 = not seen)%n",
                round, writeMillis, workers);
        String answers = answerSizes(answersBefore, fleet.status());
        System.out.println("  fan-out round " + round + ": " + answers);
        boolean all = arrivals.length >= n;
        double[] p = AgentFleet.percentiles(arrivals, 0.5, 0.99, 1.0);
        if (round < rounds) {
            String earlier = String.format(Locale.ROOT, "policy change %d of %d: p99 %.0f ms, p50 %.0f ms%s", round,
                    rounds, p[1], p[0], all ? "" : String.format(Locale.ROOT, " (%,d of %,d arrived)", arrivals.length, n));
            System.out.println("  fan-out to " + String.format(Locale.ROOT, "%,d", n) + ", " + earlier);
            earlierFanouts.add(earlier);
            return written;
        }
        String before = earlierFanouts.isEmpty() ? "" : "; the last of " + rounds + " policy changes in a row; "
                + String.join(", ", earlierFanouts) + " (the first ones after the ramp also compile the wake-up path)";
        earlierFanouts.clear();
        run.add(Figure.plain("agents", String.format(Locale.ROOT, "policy fan-out p99 to %,d agents", n), p[1], "ms",
                String.format(Locale.ROOT, "p50 %.0f ms, max %.0f ms; %,d of %,d got revision %d%s%s", p[0], p[2],
                        arrivals.length, n, written, all ? "" : " within " + timeout,
                        server.size() > 1 ? "; written through worker 0, the other workers see it in the store's "
                                + "change feed" : "") + "; " + answers + before)
                .withTarget("p99 <= 2 s at 50,000", n >= 50_000 ? (Boolean) (all && p[1] <= 2000) : null));
        run.point("fan-out p99 (ms)", n, p[1]);
        run.point("fan-out p50 (ms)", n, p[0]);
        return written;
    }

    /** The POLICY_CHANGE answers the agents got between two {@link LoadGenerators#status()}: how many, how big. */
    private static String answerSizes(long[] before, long[] after) {
        long answers = after[5] - before[5];
        long gzip = after[6] - before[6];
        long wire = after[7] - before[7];
        long full = after[8] - before[8];
        long plain = after[9] - before[9];
        return String.format(Locale.ROOT, "%,d policy answers, %,d of them gzip, %,.0f bytes each as sent (body)%s",
                answers, gzip, answers == 0 ? 0.0 : (double) wire / answers,
                full == 0 ? "" : String.format(Locale.ROOT, ", %,.0f bytes as JSON (%,d read whole)",
                        (double) plain / full, full));
    }

    private ServerGroup restartStorm(LoadGenerators fleet, ServerGroup server, int workers, int port, Path dataDir,
                                     HandshakeCertificates certs, String cpus, String heap, Path log, int n)
            throws IOException, InterruptedException {
        if (n == 0 || !Boolean.parseBoolean(options.string("storm", "true"))) {
            return server;
        }
        long[] before = fleet.status();
        long errorsBefore = before[1];
        fleet.clearErrors();
        long stopping = System.nanoTime();
        server.stop();
        long t0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "  storm: the server stopped in %.1f s; the agents counted %,d errors meanwhile%n",
                (t0 - stopping) / 1e9, fleet.status()[1] - errorsBefore);
        ServerGroup restarted = ServerGroup.start(workers, port, dataDir, certs, cpus, heap, log,
                jfr("agents-server-restarted"), serverJvm(), true);
        double listening = (System.nanoTime() - t0) / 1e9;
        double cpuAtListening = CpuSteps.seconds(restarted.pids());
        Profiling profiling = profile("storm-" + n, restarted.pids(), fleet.pids());
        // --profile=early-storm: the first 10 s after the restart only (not with storm: one session per JVM)
        Profiling early = profile("early-storm-" + n, restarted.pids(), fleet.pids());
        long deadline = System.nanoTime() + options.duration("storm-timeout", "120").toNanos();
        long[] stats = restarted.count();
        // where the storm's time goes: agents back and the server's CPU use, every second from the restart
        StringBuilder timeline = new StringBuilder();
        CpuSteps cpu = new CpuSteps(restarted.pids(), fleet.pids());
        long lastMark = System.nanoTime();
        while (stats[1] < n && System.nanoTime() < deadline) {
            Thread.sleep(500);
            stats = restarted.count();
            long now = System.nanoTime();
            if (early != null && now - t0 >= 10_000_000_000L) {
                early.stop();
                early = null;
            }
            if (now - lastMark >= 1_000_000_000L || stats[1] >= n) {
                long[] seen = fleet.status();
                timeline.append(String.format(Locale.ROOT, "%s%.1fs %,d/%,d (%s; %,d hs, %,d err)",
                        timeline.length() == 0 ? "" : ", ", (now - t0) / 1e9, stats[1], stats[0], cpu.step(),
                        seen[3] - before[3], seen[1] - errorsBefore));
                lastMark = now;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        profiling.stop();
        if (early != null) {
            early.stop();
        }
        System.out.println("  storm timeline (time since the restart, agents in long poll / connections the server holds (server CPU / load generators' CPU over the step, 100% = one core; TLS handshakes and errors the agents counted since the restart)): "
                + timeline);
        boolean all = stats[1] >= n;
        long[] agents = fleet.status();
        System.out.printf(Locale.ROOT, "  storm: server counts %,d connections / %,d waiting; agents think %,d are polling; "
                + "%,d errors since the restart, most frequent: %s%n", stats[0], stats[1], agents[0],
                agents[1] - errorsBefore, fleet.errors());
        double cpuStorm = CpuSteps.seconds(restarted.pids()) - cpuAtListening;
        long handshakes = agents[3] - before[3];
        long resumed = agents[4] - before[4];
        System.out.printf(Locale.ROOT, "  storm: %,d TLS handshakes since the restart, %,d of them resumed; server "
                + "CPU %.1f s from listening until the end (%.1f s before listening)%n", handshakes, resumed, cpuStorm,
                cpuAtListening);
        run.add(Figure.plain("agents", String.format(Locale.ROOT, "reconnect storm: server CPU-seconds from listening "
                + "until %s (%,d agents)", all ? "all back" : "the timeout", n), cpuStorm, "s", String.format(Locale.ROOT,
                "%,d TLS handshakes, %,d of them resumed; %.1f CPU-s before listening (JVM start)", handshakes,
                resumed, cpuAtListening)));
        String how = String.format(Locale.ROOT, "from the new server JVM%s launch (listening after %.1f s); "
                + "agents back off 0.5 s doubling to 8 s, jittered, connect timeout %d s, TLS handshake timeout %d s; "
                + "kernel accept backlog bound (net.core.somaxconn) %d; %,d handshakes, %,d resumed; errors meanwhile: %s",
                workers > 1 ? "s'" : "'s", listening, connectTimeout.toSeconds(), handshakeTimeout.toSeconds(),
                NetUtil.SOMAXCONN, handshakes, resumed, fleet.errors());
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
    private void diagnostics(ServerGroup server, int agents) {
        Path jfr = jfr("agents-server");
        if (jfr == null) {
            return;
        }
        for (String command : List.of("VM.native_memory summary", "GC.class_histogram")) {
            List<String> cmd = new java.util.ArrayList<>(List.of("jcmd", Long.toString(server.pids().get(0))));
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

    /** Extra JVM options for the load generators, comma separated: --client-jvm=-XX:TieredStopAtLevel=1 */
    private List<String> clientJvm() {
        List<String> jvm = new java.util.ArrayList<>(options.strings("client-jvm", ""));
        jvm.add("-Dflotilla.bench.gzip=" + gzip());
        jvm.add("-Dflotilla.bench.full-read-every=" + fullReadEvery());
        return jvm;
    }

    /** --gzip: the agents send Accept-Encoding: gzip (default true). */
    private boolean gzip() {
        return Boolean.parseBoolean(options.string("gzip", "true"));
    }

    /** --full-read-every: one check-in answer in N is read whole (default 100). */
    private int fullReadEvery() {
        return options.integer("full-read-every", 100);
    }

    /** --policy: the policy the bench hands out ({@link BenchPolicy}). */
    private String policy() {
        return options.string("policy", BenchPolicy.SYSTEM);
    }

    /** Extra JVM options for the server, comma separated: --server-jvm=-XX:MaxHeapFreeRatio=20,-XX:MinHeapFreeRatio=10 */
    private List<String> serverJvm() {
        List<String> jvm = new java.util.ArrayList<>(options.strings("server-jvm", ""));
        jvm.add("-D" + BenchPolicy.PROPERTY + "=" + policy());
        return jvm;
    }

    /**
     * With --profile=fanout,storm (any of them): async-profiler samples the server JVMs and the load generators
     * through that phase; flame graphs and collapsed stacks go to bench/reports/profiles/agents-PHASE-N-{server,
     * client}-pPID.*, and a summary of each side is printed.
     */
    private Profiling profile(String phase, List<Long> servers, List<Long> clients) {
        if (options.strings("profile", "").stream().noneMatch(phase::startsWith)) {
            return () -> { };
        }
        if (profiler == null) {
            profiler = AsyncProfiler.extractTo(Path.of(options.string("profiles", "bench/reports/profiles"))
                    .toAbsolutePath());
        }
        AsyncProfiler attached = profiler;
        attached.start(servers);
        attached.start(clients);
        return () -> {
            for (String side : List.of("server", "client")) {
                List<Path> files = attached.stop(side.equals("server") ? servers : clients, "agents-" + phase + "-" + side);
                System.out.println("  profile of the " + side + " side, " + phase + ":");
                System.out.print(ProfileTop.summarise(files, 25).indent(4));
            }
        };
    }

    /** A phase's profiling, ended by {@link #stop()} (nothing when not asked for). */
    private interface Profiling {
        void stop() throws IOException;
    }

    /** With --jfr=true, where the server JVM writes its CPU profile (bench/reports/profiles/NAME.jfr). */
    private Path jfr(String name) {
        if (!Boolean.parseBoolean(options.string("jfr", "false"))) {
            return null;
        }
        return Path.of(options.string("profiles", "bench/reports/profiles")).toAbsolutePath().resolve(name + ".jfr");
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
