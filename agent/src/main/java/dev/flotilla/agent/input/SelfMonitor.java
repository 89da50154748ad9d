package dev.flotilla.agent.input;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.output.DiskQueue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The agent's own status and metrics as one event per tick, into {@code metrics-elastic_agent.flotilla-<ns>}. */
public final class SelfMonitor {
    private volatile DiskQueue queue;
    private final String agentId;
    private final Supplier<String[]> health;
    private volatile String namespace = "default";
    private volatile boolean enabled;

    private final LongSupplier pending;

    /** {@code pending}: the agent's queued events, reported in each event. */
    public SelfMonitor(String agentId, Supplier<String[]> health, LongSupplier pending) {
        this.agentId = agentId;
        this.health = health;
        this.pending = pending;
    }

    /** Monitoring on or off, its namespace, and the queue of the output it uses. */
    public void configure(boolean on, String ns, DiskQueue target) {
        this.enabled = on;
        this.namespace = ns;
        this.queue = target;
    }

    /** Queues one status/metrics event (when monitoring is on). */
    public void tick() {
        DiskQueue target = queue;
        if (!enabled || target == null || target.isFull()) {
            return;
        }
        ObjectNode e = Events.base("metrics", "elastic_agent.flotilla", namespace, agentId);
        String[] h = health.get();
        ObjectNode f = e.putObject("flotilla");
        f.put("status", h[0]);
        f.put("message", h[1]);
        f.putObject("queue").put("pending", pending.getAsLong());
        Runtime rt = Runtime.getRuntime();
        ObjectNode jvm = f.putObject("jvm");
        jvm.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
        jvm.put("uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
        target.append(List.of(Events.bytes(e)));
    }
}
