package dev.flotilla.bench.agents;

import dev.flotilla.bench.handshake.HandshakeCertificates;
import dev.flotilla.bench.internal.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Fleet Server under test as one JVM, or as N worker JVMs sharing the port (SO_REUSEPORT) and the SQLite store
 * the way {@code flotilla server --workers N} runs them (one process holds at most ~19,600 connections here).
 * Worker 0 starts first and writes the policy and the enrollment token; a policy change goes to worker 0, and the
 * others learn of it through the store's change feed, as in production. Figures are summed over the workers.
 */
final class ServerGroup implements AutoCloseable {

    private final List<ServerProcess> workers;
    final String token;

    private ServerGroup(List<ServerProcess> workers) {
        this.workers = workers;
        this.token = workers.get(0).token;
    }

    /**
     * {@code count} 1: one server JVM as before (no SO_REUSEPORT); more: that many workers. {@code together}: launch
     * all workers at once (a restart, when the policy exists), else worker 0 first.
     */
    static ServerGroup start(int count, int port, Path dataDir, HandshakeCertificates certs, String cpus, String heap,
                             Path log, Path jfr, List<String> extraJvmOptions, boolean together) throws IOException {
        if (count <= 1) {
            return new ServerGroup(List.of(ServerProcess.start(port, dataDir, certs, cpus, heap, log, jfr,
                    extraJvmOptions)));
        }
        List<ServerProcess> started = new ArrayList<>();
        List<Process> launched = new ArrayList<>(); // every JVM, ready or not: a failed start stops them all
        try {
            Process first = ServerProcess.launch(port, dataDir, certs, cpus, heap, log(log, 0), jfr(jfr, 0),
                    extraJvmOptions, 0);
            launched.add(first);
            if (!together) {
                started.add(ServerProcess.ready(first, log(log, 0), port));
            }
            List<Process> rest = new ArrayList<>();
            for (int w = 1; w < count; w++) {
                rest.add(ServerProcess.launch(port, dataDir, certs, cpus, heap, log(log, w), jfr(jfr, w),
                        extraJvmOptions, w));
                launched.add(rest.get(rest.size() - 1));
            }
            if (together) {
                started.add(ServerProcess.ready(first, log(log, 0), port));
            }
            for (int w = 1; w < count; w++) {
                started.add(ServerProcess.ready(rest.get(w - 1), log(log, w), port));
            }
            return new ServerGroup(List.copyOf(started));
        } catch (IOException | RuntimeException e) {
            started.forEach(ServerProcess::close);
            launched.forEach(p -> Processes.stop(p, Duration.ofSeconds(5)));
            throw e;
        }
    }

    private static Path log(Path log, int worker) {
        return log.resolveSibling(log.getFileName().toString().replace(".log", "-w" + worker + ".log"));
    }

    private static Path jfr(Path jfr, int worker) {
        return jfr == null ? null : jfr.resolveSibling(jfr.getFileName().toString().replace(".jfr", "-w" + worker + ".jfr"));
    }

    int size() {
        return workers.size();
    }

    List<Long> pids() {
        return workers.stream().map(ServerProcess::pid).toList();
    }

    /** Sum of the workers' RSS (KiB). */
    long rssKiB() {
        return workers.stream().mapToLong(ServerProcess::rssKiB).sum();
    }

    /** Writes a new policy revision through worker 0; returns its number. */
    long policy() throws IOException {
        return workers.get(0).policy();
    }

    /** [open connections, waiting check-ins, live heap after GC] summed over the workers. */
    long[] stats() throws IOException {
        long[] sum = new long[3];
        for (ServerProcess w : workers) {
            long[] s = w.stats();
            for (int i = 0; i < 3; i++) {
                sum[i] += s[i];
            }
        }
        return sum;
    }

    /** [open connections, waiting check-ins] summed over the workers, without a GC. */
    long[] count() throws IOException {
        long[] sum = new long[2];
        for (ServerProcess w : workers) {
            long[] s = w.count();
            sum[0] += s[0];
            sum[1] += s[1];
        }
        return sum;
    }

    /** Waiting check-ins per worker (how SO_REUSEPORT spread the agents). */
    List<Long> waitingPerWorker() throws IOException {
        List<Long> out = new ArrayList<>();
        for (ServerProcess w : workers) {
            out.add(w.count()[1]);
        }
        return out;
    }

    /** Graceful stop of every worker at once; returns when all exited. */
    void stop() throws IOException {
        for (ServerProcess w : workers) {
            w.requestStop();
        }
        workers.forEach(ServerProcess::awaitStop);
    }

    @Override
    public void close() {
        workers.forEach(ServerProcess::close);
    }
}
