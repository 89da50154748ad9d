package dev.flotilla.bench.handshake;

import dev.flotilla.bench.agents.FleetServerMain;
import dev.flotilla.bench.internal.AsyncProfiler;
import dev.flotilla.bench.internal.CpuTime;
import dev.flotilla.bench.internal.Options;
import dev.flotilla.bench.internal.ProfileTop;
import dev.flotilla.bench.report.Figure;
import dev.flotilla.bench.report.ScenarioRun;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;

/**
 * Full TLS 1.3 handshake + one small HTTP request: P-256 and RSA-2048, one-way and mTLS, against nginx and
 * against Flotilla's TLS stack, each server pinned to {@code --server-cpus} (default CPU 0) while this load
 * generator runs where the script pinned it (CPU 1). Reports handshakes/s and the ratio to nginx measured
 * right before, plus handshakes per server CPU-second (which does not depend on who saturates first).
 */
public final class HandshakeScenario {

    private final Options options;
    private final Path work;
    private final ScenarioRun.Recorder run;
    private AsyncProfiler profiler;

    public HandshakeScenario(Options options, Path work, ScenarioRun.Recorder run) {
        this.options = options;
        this.work = work;
        this.run = run;
    }

    public void execute() throws IOException, InterruptedException {
        Duration warmup = options.duration("warmup", "3");
        Duration measure = options.duration("seconds", "8");
        int connections = options.integer("connections", 64);
        int sources = options.integer("source-addresses", 16);
        int threads = options.integer("client-threads", 1);
        String serverCpus = options.string("server-cpus", "0");
        List<String> keys = List.of(options.string("keys", "P-256,RSA-2048").split(","));
        List<String> modes = List.of(options.string("modes", "mtls,one-way").split(","));
        List<String> servers = List.of(options.string("servers", "nginx,flotilla-tls,fleet-server").split(","));
        run.note(String.format(Locale.ROOT, "2 cores shared by client and server (and other work on the box): "
                + "servers pinned to CPU %s with taskset (nginx: worker_processes 1), the load generator to the "
                + "CPU the script gave it; %d concurrent connections from %d source addresses 127.0.0.x, "
                + "%s s warm-up then %s s measured per server, %d rounds (order ABC, CBA, ...) summed; TLS 1.3 only, no session resumption; %s on the client",
                serverCpus, connections, sources, seconds(warmup), seconds(measure), options.integer("rounds", 2),
                OpenSsl.versionString()));
        int rounds = options.integer("rounds", 2);
        boolean verify = Boolean.parseBoolean(options.string("verify-server", "false"));
        boolean resume = Boolean.parseBoolean(options.string("resume", "false"));
        if (resume) {
            run.note("--resume=true: the load generator keeps the session tickets servers hand out and offers them "
                    + "on its next connections (TLS 1.3 resumption, as a reconnecting agent does); rows say 'resumed' "
                    + "and each note how many handshakes were resumed");
        }
        // --groups: the key-exchange groups the load generator offers, in order (BoringSSL names). Default X25519, the
        // group nginx (OpenSSL 3.0) negotiates, so every server does the same work; --groups= (empty) offers Netty's
        // defaults, which with BoringSSL put the hybrid X25519MLKEM768 first (the JVM servers then negotiate it)
        List<String> offered = options.strings("groups", "X25519");
        run.note("key exchange: the load generator offers " + (offered.isEmpty()
                ? "Netty's default groups (--groups=) (with BoringSSL: X25519MLKEM768 first, then X25519, P-256, P-384)"
                : String.join(", ", offered) + " (--groups)") + "; each note counts the groups the handshakes used");
        run.note(verify ? "the load generator verifies each server certificate chain (in Java, as Netty's OpenSSL client "
                + "does with a CA file)" : "the load generator does not verify the server certificate (--verify-server=false), "
                + "to spend its CPU on handshakes: it measures the servers, which still do full handshakes and, with "
                + "mTLS, verify the client certificate");
        for (String key : keys) {
            HandshakeCertificates certs = HandshakeCertificates.create(key, work.resolve(key));
            for (String mode : modes) {
                boolean mutual = mode.equals("mtls");
                HandshakeLoad load = new HandshakeLoad(clientContext(certs, mutual, verify, offered), connections, sources,
                        threads, resume);
                Map<String, Cell> cells = new LinkedHashMap<>();
                servers.forEach(sv -> cells.put(sv, Cell.EMPTY));
                for (int round = 0; round < rounds; round++) {
                    List<String> order = new ArrayList<>(servers);
                    if (round % 2 == 1) {
                        Collections.reverse(order); // ABC then CBA: drifting load hits every server alike
                    }
                    for (String server : order) {
                        cells.put(server, cells.get(server).plus(measure(server, certs, mutual, serverCpus, load, warmup, measure)));
                    }
                }
                report(key + " " + (mutual ? "mTLS" : "one-way") + (resume ? " resumed" : ""),
                        key.equals("P-256") && mutual && !resume, cells);
            }
        }
    }

    private void report(String label, boolean targeted, Map<String, Cell> cells) {
        Cell reference = cells.get("nginx");
        for (Map.Entry<String, Cell> e : cells.entrySet()) {
            String server = e.getKey();
            Cell cell = e.getValue();
            if (server.equals("nginx")) {
                run.add(Figure.plain("handshake", label + " handshakes/s: nginx", cell.rate(), "1/s", cell.note()));
                run.add(Figure.plain("handshake", label + " handshakes per server CPU-second: nginx", cell.perCpuSecond(),
                        "1/cpu-s", "server process CPU time (user+sys, with children) over the measured windows"));
                continue;
            }
            boolean hasRef = reference != null && reference.completed() > 0;
            run.add(new Figure("handshake", label + " handshakes/s: " + server, cell.rate(), "1/s",
                    hasRef ? "nginx" : null, hasRef ? reference.rate() : null, targeted ? ">= 1.5x nginx" : null,
                    targeted && hasRef ? cell.rate() >= 1.5 * reference.rate() : null, cell.note()));
            run.add(new Figure("handshake", label + " handshakes per server CPU-second: " + server,
                    cell.perCpuSecond(), "1/cpu-s", hasRef ? "nginx" : null, hasRef ? reference.perCpuSecond() : null,
                    targeted ? ">= 1.5x nginx" : null,
                    targeted && hasRef ? cell.perCpuSecond() >= 1.5 * reference.perCpuSecond() : null,
                    "server process CPU time (user+sys, with children) over the measured windows; does not depend "
                            + "on whether the client or the server saturated first"));
        }
    }

    private Cell measure(String server, HandshakeCertificates certs, boolean mutual, String cpus, HandshakeLoad load,
                         Duration warmup, Duration measure) throws IOException, InterruptedException {
        Path dir = work.resolve(certs.keyKind()).resolve(server + (mutual ? "-mtls" : "-oneway"));
        java.nio.file.Files.createDirectories(dir);
        try (TargetServer target = start(server, certs, mutual, cpus, dir)) {
            Thread.sleep(300);
            double[] cpuAt = new double[4];
            long self = ProcessHandle.current().pid();
            AsyncProfiler sampling = profilerFor(target);
            // sample the server's CPU time at the window edges from a timer thread
            Thread sampler = new Thread(() -> {
                try {
                    Thread.sleep(warmup.toMillis());
                    cpuAt[0] = CpuTime.seconds(target.pid());
                    cpuAt[2] = CpuTime.ofOne(self); // without the server processes, which are our children
                    if (sampling != null) {
                        sampling.start(List.of(target.pid()));
                    }
                    Thread.sleep(measure.toMillis());
                    cpuAt[1] = CpuTime.seconds(target.pid());
                    cpuAt[3] = CpuTime.ofOne(self);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "cpu-sampler");
            sampler.setDaemon(true);
            sampler.start();
            HandshakeLoad.Result r = load.run(target.port(), target.path(), warmup, measure);
            sampler.join(5000);
            if (sampling != null) {
                List<Path> files = sampling.stop(List.of(target.pid()), "handshake-" + server + "-"
                        + certs.keyKind() + (mutual ? "-mtls" : "-oneway"));
                System.out.println("  profile of " + server + " over the measured window:");
                System.out.print(ProfileTop.summarise(files, 25).indent(4));
            }
            double cpu = Math.max(1e-3, cpuAt[1] - cpuAt[0]);
            String note = String.format(Locale.ROOT, "%d ok (%d resumed), %d failed in %.1f s; latency p50 %.1f ms, p99 %.1f ms; "
                            + "server CPU %.2f s, load generator CPU %.2f s; key exchange %s%s", r.completed(), r.resumed(),
                    r.failed(), r.seconds(), r.p50Millis(), r.p99Millis(), cpu, cpuAt[3] - cpuAt[2], r.groups(),
                    r.firstError() == null ? "" : "; first error: " + r.firstError());
            System.out.println("  " + server + " " + certs.keyKind() + (mutual ? " mTLS: " : " one-way: ") + note);
            if (r.completed() == 0) {
                throw new IllegalStateException(server + " completed no handshakes: " + r.firstError());
            }
            return new Cell(r.completed(), r.failed(), r.seconds(), cpu, note);
        }
    }

    private TargetServer start(String server, HandshakeCertificates certs, boolean mutual, String cpus, Path dir)
            throws IOException {
        List<String> jvm = jvmOptions(server, dir);
        switch (server) {
            case "nginx":
                return NginxServer.start(certs, mutual, cpus, dir);
            case "flotilla-tls", "netty-raw": {
                int port = FreePort.find();
                List<String> args = new ArrayList<>(List.of(server.equals("netty-raw") ? "raw" : "servertls",
                        Integer.toString(port), certs.serverCertificate().toString(), certs.serverKey().toString()));
                if (mutual) {
                    args.add(certs.ca().toString());
                }
                return JvmServer.start(server, HttpsResponderMain.class.getName(), args, port, "/", cpus, jvm, dir);
            }
            case "fleet-server": {
                int port = FreePort.find();
                List<String> args = List.of(Integer.toString(port), dir.resolve("data").toString(),
                        certs.serverCertificate().toString(), certs.serverKey().toString(),
                        mutual ? certs.ca().toString() : "-");
                return JvmServer.start(server, FleetServerMain.class.getName(), args, port, "/api/status", cpus,
                        jvm, dir);
            }
            default:
                throw new IllegalArgumentException("bench: unknown server '" + server
                        + "' (nginx, flotilla-tls, fleet-server, netty-raw)");
        }
    }

    /**
     * With --profile=true, async-profiler samples each JVM server (not nginx) over its measured window; its own cost
     * is in that window's CPU figures. Flame graphs and collapsed stacks go to bench/reports/profiles/handshake-*.
     */
    private AsyncProfiler profilerFor(TargetServer target) {
        if (!Boolean.parseBoolean(options.string("profile", "false")) || !(target instanceof JvmServer)) {
            return null;
        }
        if (profiler == null) {
            profiler = AsyncProfiler.extractTo(Path.of(options.string("profiles", "bench/reports/profiles"))
                    .toAbsolutePath());
        }
        return profiler;
    }

    /** Server JVM options; with --jfr=true a CPU profile per server goes to bench/reports/profiles/. */
    private List<String> jvmOptions(String server, Path dir) {
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        // extra options for the JVM servers, comma separated, e.g. --server-jvm=-Dflotilla.tls.verified-chain-cache=0
        jvm.addAll(options.strings("server-jvm", ""));
        if (Boolean.parseBoolean(options.string("jfr", "false"))) {
            Path profiles = Path.of(options.string("profiles", "bench/reports/profiles")).toAbsolutePath();
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + profiles.resolve("handshake-" + server + "-"
                    + dir.getParent().getFileName() + "-" + dir.getFileName() + ".jfr"));
            try {
                java.nio.file.Files.createDirectories(profiles);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return jvm;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    /** {@code groups}: the key-exchange groups to offer, in order; empty: Netty's defaults. */
    private static SslContext clientContext(HandshakeCertificates certs, boolean mutual, boolean verify,
                                            List<String> groups) throws IOException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3");
        if (!groups.isEmpty()) {
            b.option(OpenSslContextOption.GROUPS, groups.toArray(String[]::new));
        }
        if (verify) {
            b.trustManager(certs.ca().toFile());
        } else {
            b.trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE);
        }
        // no host name check; without --resume the engine has no peer host, which keeps the client from resuming
        b.endpointIdentificationAlgorithm(null);
        if (mutual) {
            b.keyManager(certs.clientCertificate().toFile(), certs.clientKey().toFile());
        }
        return b.build();
    }

    /** One server's measured windows in one cell, summed over the rounds. */
    private record Cell(long completed, long failed, double seconds, double cpuSeconds, String note) {
        static final Cell EMPTY = new Cell(0, 0, 0, 0, "");

        Cell plus(Cell o) {
            return new Cell(completed + o.completed, failed + o.failed, seconds + o.seconds, cpuSeconds + o.cpuSeconds,
                    note.isEmpty() ? o.note : note + " | " + o.note);
        }

        double rate() {
            return seconds == 0 ? 0 : completed / seconds;
        }

        double perCpuSecond() {
            return cpuSeconds == 0 ? 0 : completed / cpuSeconds;
        }
    }
}
