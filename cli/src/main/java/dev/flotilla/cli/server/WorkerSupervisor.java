package dev.flotilla.cli.server;

import dev.flotilla.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flotilla server --workers N}: runs N worker processes (this JVM's binary and classpath, one
 * {@code flotilla server --worker-index I} each), which share the agent port through SO_REUSEPORT and the store.
 * Their output is copied here with a {@code [worker I]} prefix. A worker that exits after it was ready is
 * started again with a growing delay (1 s doubling to 30 s; back to 1 s once it ran a minute); one that fails
 * before it was ready during startup stops them all, and {@link #start()} throws with that worker's last words.
 * {@link #stop()} (the shutdown hook on SIGTERM / Ctrl-C) sends every worker SIGTERM (each stops gracefully: long
 * polls answer) and waits for them.
 */
final class WorkerSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
    /** What a worker prints once it serves (ServerCommand prints it); the supervisor waits for it. */
    static final String READY_LINE = "Fleet Server listening on ";
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STABLE = Duration.ofMinutes(1);

    private final int count;
    private final IntFunction<List<String>> workerArgs;
    private final Duration stopGrace;
    private final PrintStream out;
    private final PrintStream err;
    private final Worker[] workers;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean started;

    /** {@code workerArgs}: the {@code flotilla} arguments of worker I (after the main class). */
    WorkerSupervisor(int count, IntFunction<List<String>> workerArgs, Duration stopGrace, PrintStream out,
                     PrintStream err) {
        this.count = count;
        this.workerArgs = workerArgs;
        this.stopGrace = stopGrace;
        this.out = out;
        this.err = err;
        this.workers = new Worker[count];
    }

    /** Starts every worker and returns once all are ready; throws (nothing left running) when one fails. */
    void start() {
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker(i);
            workers[i].launch();
        }
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        for (Worker w : workers) {
            String failure = w.awaitReady(deadline);
            if (failure != null) {
                stop();
                throw new UserError("Fleet Server worker " + w.index + " did not start: " + failure);
            }
        }
        Thread keeper = new Thread(() -> {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fleet-server-supervisor");
        keeper.setDaemon(false); // keeps this JVM alive while the workers run
        keeper.start();
        started = true;
    }

    /** Process ids of the running workers (tests, logs). */
    List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (Worker w : workers) {
            Process p = w == null ? null : w.process;
            if (p != null && p.isAlive()) {
                out.add(p.pid());
            }
        }
        return out;
    }

    /** SIGTERM to every worker, then waits (graceful stop) up to the grace period before killing what is left. */
    synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.info("stopping the Fleet Server workers (SIGTERM; they answer waiting check-ins first)");
        List<Process> running = new ArrayList<>();
        for (Worker w : workers) {
            if (w != null && w.process != null && w.process.isAlive()) {
                w.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close its output pipes
                running.add(w.process);
            }
        }
        long deadline = System.nanoTime() + stopGrace.toNanos();
        for (Process p : running) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    LOG.warn("worker (pid {}) still running {} after SIGTERM; killing it", p.pid(), stopGrace);
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (Worker w : workers) {
            if (w != null) {
                w.drain(); // the workers' last words ("Fleet Server stopped") before this JVM exits
            }
        }
        stopped.countDown();
    }

    private List<String> command(int index) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(dev.flotilla.cli.Flotilla.class.getName());
        cmd.addAll(workerArgs.apply(index));
        return cmd;
    }

    /** One worker slot: its current process, its readiness, its restarts. */
    private final class Worker {
        final int index;
        final String prefix;
        volatile Process process;
        private final Deque<String> lastLines = new ArrayDeque<>();
        private final List<Thread> pumps = new java.util.concurrent.CopyOnWriteArrayList<>();
        private CountDownLatch ready;
        private volatile boolean wasReady;
        private long startedAt;
        private Duration backoff = Duration.ofSeconds(1);

        Worker(int index) {
            this.index = index;
            this.prefix = "[worker " + index + "] ";
        }

        synchronized void launch() {
            pumps.clear(); // those of an earlier process ended with its streams
            ready = new CountDownLatch(1);
            wasReady = false;
            startedAt = System.nanoTime();
            try {
                process = new ProcessBuilder(command(index)).start();
            } catch (IOException e) {
                throw new UserError("Cannot start Fleet Server worker " + index + ": " + e.getMessage()
                        + ". Is the java binary " + System.getProperty("java.home") + " still there?", e);
            }
            Process p = process;
            CountDownLatch latch = ready;
            pump(p.getInputStream(), out, "stdout", latch);
            pump(p.getErrorStream(), err, "stderr", latch);
            Thread watcher = new Thread(() -> watch(p), "fleet-server-worker-" + index + "-watch");
            watcher.setDaemon(true);
            watcher.start();
            LOG.info("Fleet Server worker {} started (pid {})", index, p.pid());
        }

        private void pump(InputStream in, PrintStream to, String name, CountDownLatch latch) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        synchronized (this) {
                            lastLines.addLast(line);
                            if (lastLines.size() > 5) {
                                lastLines.removeFirst();
                            }
                        }
                        if (line.startsWith(READY_LINE)) {
                            wasReady = true;
                            latch.countDown();
                        }
                        synchronized (to) {
                            to.println(prefix + line);
                            to.flush();
                        }
                    }
                } catch (IOException e) {
                    // the worker ended
                }
            }, "fleet-server-worker-" + index + "-" + name);
            t.setDaemon(true);
            pumps.add(t);
            t.start();
        }

        void drain() {
            for (Thread t : pumps) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Null when ready; else what went wrong (the worker's last lines). */
        String awaitReady(long deadlineNanos) {
            try {
                CountDownLatch latch;
                synchronized (this) {
                    latch = ready;
                }
                while (!latch.await(100, TimeUnit.MILLISECONDS)) {
                    Process p = process;
                    if (!p.isAlive() && !wasReady) {
                        p.waitFor(2, TimeUnit.SECONDS);
                        drain(); // the pumps read its last words up to end of stream
                        return "it exited with code " + p.exitValue() + ": " + lastWords();
                    }
                    if (System.nanoTime() > deadlineNanos) {
                        return "not ready within " + STARTUP_TIMEOUT + "; its last output: " + lastWords();
                    }
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        private synchronized String lastWords() {
            return lastLines.isEmpty() ? "(no output)" : String.join(" / ", lastLines);
        }

        private void watch(Process p) {
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            if (stopping || (!started && !wasReady)) {
                return; // shutting down, or a failure during startup, which start() reports
            }
            long ranNanos = System.nanoTime() - startedAt;
            synchronized (this) {
                if (ranNanos > STABLE.toNanos()) {
                    backoff = Duration.ofSeconds(1);
                }
            }
            Duration delay = nextDelay();
            LOG.warn("Fleet Server worker {} (pid {}) exited with code {}; starting it again in {} s", index, p.pid(),
                    code, delay.toSeconds());
            // until it starts (a failed start, e.g. no memory to fork, is tried again) or the supervisor stops
            while (true) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (WorkerSupervisor.this) {
                    if (stopping) {
                        return;
                    }
                    try {
                        launch();
                        return;
                    } catch (UserError e) {
                        delay = nextDelay();
                        LOG.error("{}; trying again in {} s", e.getMessage(), delay.toSeconds());
                    }
                }
            }
        }

        /** The current backoff, doubling it (at most {@code MAX_BACKOFF}) for next time. */
        private synchronized Duration nextDelay() {
            Duration delay = backoff;
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            return delay;
        }
    }
}
