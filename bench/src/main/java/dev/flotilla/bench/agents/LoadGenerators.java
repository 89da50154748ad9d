package dev.flotilla.bench.agents;

import dev.flotilla.bench.handshake.HandshakeCertificates;
import dev.flotilla.bench.internal.Processes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulated agents spread over several load-generator JVMs ({@link LoadGeneratorMain}), each holding a slice
 * (at most ~18,000 connections: one process may open 20,000 files here) from its own source addresses
 * 127.0.K.1..S. Commands go to all at once and the answers are combined; fan-out arrivals are timed against
 * the wall clock, which all processes on this host share.
 */
final class LoadGenerators implements AutoCloseable {

    private final List<Child> children = new ArrayList<>();

    private LoadGenerators() {
    }

    static LoadGenerators start(int count, int port, String token, HandshakeCertificates certs, int sources,
                                Duration connectTimeout, Duration handshakeTimeout, int ioThreads, String heap,
                                List<String> extraJvm, Path logDir) throws IOException {
        LoadGenerators g = new LoadGenerators();
        List<String> jvm = new ArrayList<>(List.of("-Xms256m", "-Xmx" + heap, "-XX:+UseParallelGC",
                "-XX:ParallelGCThreads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        jvm.addAll(extraJvm);
        try {
            for (int k = 0; k < count; k++) {
                List<String> cmd = Processes.java(null, jvm,
                        LoadGeneratorMain.class.getName(), List.of(Integer.toString(port), token,
                                certs.ca().toString(), certs.clientCertificate().toString(), certs.clientKey().toString(),
                                "127.0." + (k + 1) + ".", Integer.toString(sources),
                                Long.toString(connectTimeout.toMillis()), Long.toString(handshakeTimeout.toMillis()),
                                Integer.toString(ioThreads)));
                Path log = logDir.resolve("load-generator-" + k + ".log");
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                g.children.add(new Child(p, log));
            }
            return g;
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Grows every slice so that {@code total} agents exist in all; returns how many are long-polling. */
    int grow(int total, int inFlight, Duration timeout) throws IOException {
        int k = children.size();
        for (int i = 0; i < k; i++) {
            int share = total / k + (i < total % k ? 1 : 0);
            children.get(i).send("grow " + share + " " + Math.max(1, inFlight / k) + " " + timeout.toMillis());
        }
        int polling = 0;
        for (Child c : children) {
            polling += Integer.parseInt(c.expect("grown", timeout.plusSeconds(60)).split(" ")[1]);
        }
        return polling;
    }

    /** The enrollment load, run by the first load generator. */
    AgentFleet.EnrollLoad enroll(int connections, Duration length) throws IOException {
        Child c = children.get(0);
        c.send("enroll " + connections + " " + length.toMillis() / 1000.0);
        String[] f = c.expect("enrolled", length.plusSeconds(60)).split(" ");
        return new AgentFleet.EnrollLoad(Long.parseLong(f[1]), Double.parseDouble(f[2]));
    }

    void watch(long revision, long startMillis) throws IOException {
        for (Child c : children) {
            c.send("watch " + revision + " " + startMillis);
        }
        for (Child c : children) {
            c.expect("watching", Duration.ofSeconds(30));
        }
    }

    /** The load-generator JVMs' process ids. */
    List<Long> pids() {
        return children.stream().map(c -> c.process.pid()).toList();
    }

    /** How many agents of every slice got the watched revision so far (a count, cheap to ask while they arrive). */
    long arrived() throws IOException {
        long sum = 0;
        for (Child c : children) {
            c.send("arrived");
            sum += Long.parseLong(c.expect("arrived", Duration.ofSeconds(30)).split(" ")[1]);
        }
        return sum;
    }

    /** Arrival latencies (ms) of every slice so far. */
    long[] arrivals() throws IOException {
        List<long[]> parts = new ArrayList<>();
        for (Child c : children) {
            c.send("arrivals");
            String[] f = c.expect("arrivals", Duration.ofSeconds(30)).split(" ");
            parts.add(f.length < 3 || f[2].isEmpty() ? new long[0]
                    : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray());
        }
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /**
     * [polling, errors, agents, TLS handshakes, resumed handshakes, check-in answers with a POLICY_CHANGE, of them
     * gzip, their body bytes as sent, answers read whole, their bytes inflated] over all slices.
     */
    long[] status() throws IOException {
        long[] sum = new long[10];
        for (Child c : children) {
            c.send("status");
            String[] f = c.expect("status", Duration.ofSeconds(30)).split(" ");
            c.lastErrors = c.expect("errors", Duration.ofSeconds(30)).substring("errors ".length());
            for (int i = 0; i < sum.length && i + 1 < f.length; i++) {
                sum[i] += Long.parseLong(f[i + 1]);
            }
        }
        return sum;
    }

    /** The first error and most frequent error kinds of each slice, as of the last {@link #status()}. */
    String errors() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            out.add("generator " + i + ": " + children.get(i).lastErrors);
        }
        return String.join("; ", out);
    }

    void clearErrors() throws IOException {
        for (Child c : children) {
            c.send("clear-errors");
            c.expect("cleared", Duration.ofSeconds(30));
        }
    }

    /** Sum of the load generators' RSS (KiB). */
    long rssKiB() {
        return children.stream().mapToLong(c -> Processes.rssKiB(c.process.pid())).sum();
    }

    @Override
    public void close() {
        for (Child c : children) {
            try {
                c.send("stop");
            } catch (IOException e) {
                // already gone
            }
        }
        for (Child c : children) {
            try {
                c.process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Processes.stop(c.process, Duration.ofSeconds(5));
        }
    }

    /** One load-generator JVM and its command channel. */
    private static final class Child {
        final Process process;
        final CommandChannel channel;
        String lastErrors = "";

        Child(Process process, Path log) {
            this.process = process;
            this.channel = new CommandChannel(process, log, "a load generator");
        }

        void send(String command) throws IOException {
            channel.send(command);
        }

        String expect(String prefix, Duration timeout) {
            return channel.expect(prefix, timeout);
        }
    }
}
