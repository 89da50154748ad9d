package dev.flotilla.bench.agents;

import dev.flotilla.bench.internal.CpuTime;
import java.util.List;
import java.util.Locale;

/**
 * The server's and the load generators' CPU use over successive steps of a phase, for the phase timelines: which
 * side bounds it. Each {@link #step} reads both sides once and says "server%/load-generators%" since the step
 * before (100% = one core).
 */
final class CpuSteps {
    private final List<Long> server;
    private final List<Long> clients;
    private final double serverAtStart;
    private final double clientsAtStart;
    private double serverLast;
    private double clientsLast;
    private long lastNanos;

    CpuSteps(List<Long> server, List<Long> clients) {
        this.server = server;
        this.clients = clients;
        this.serverAtStart = seconds(server);
        this.clientsAtStart = seconds(clients);
        this.serverLast = serverAtStart;
        this.clientsLast = clientsAtStart;
        this.lastNanos = System.nanoTime();
    }

    /** "S%/C%": both sides' CPU since the previous step (or the start). */
    String step() {
        long now = System.nanoTime();
        double serverNow = seconds(server);
        double clientsNow = seconds(clients);
        double step = Math.max(1_000_000L, now - lastNanos) / 1e9;
        String out = String.format(Locale.ROOT, "%.0f%%/%.0f%%", 100 * (serverNow - serverLast) / step,
                100 * (clientsNow - clientsLast) / step);
        serverLast = serverNow;
        clientsLast = clientsNow;
        lastNanos = now;
        return out;
    }

    /** The server's CPU seconds from the start to the latest step. */
    double serverSeconds() {
        return serverLast - serverAtStart;
    }

    /** The load generators' CPU seconds from the start to the latest step. */
    double clientSeconds() {
        return clientsLast - clientsAtStart;
    }

    /** CPU seconds used so far by these processes, summed. */
    static double seconds(List<Long> pids) {
        return pids.stream().mapToDouble(CpuTime::seconds).sum();
    }
}
