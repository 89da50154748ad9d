package dev.flotilla.agent.input;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.output.DiskQueue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;

/** The agent's own status and metrics as one event per tick, into {@code metrics-elastic_agent.flotilla-<ns>}. */
public final class SelfMonitor {
    private final DiskQueue queue;
    private final String agentId;
    private final Supplier<String[]> health;
    private volatile String namespace = "default";
    private volatile boolean enabled = true;

    public SelfMonitor(DiskQueue queue, String agentId, Supplier<String[]> health) {
        this.queue = queue;
        this.agentId = agentId;
        this.health = health;
    }

    public void configure(boolean on, String ns) {
        this.enabled = on;
        this.namespace = ns;
    }

    /** Queues one status/metrics event (when monitoring is on). */
    public void tick() {
        if (!enabled || queue.isFull()) {
            return;
        }
        ObjectNode e = Events.base("metrics", "elastic_agent.flotilla", namespace, agentId);
        String[] h = health.get();
        ObjectNode f = e.putObject("flotilla");
        f.put("status", h[0]);
        f.put("message", h[1]);
        f.putObject("queue").put("pending", queue.pending());
        Runtime rt = Runtime.getRuntime();
        ObjectNode jvm = f.putObject("jvm");
        jvm.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
        jvm.put("uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
        queue.append(List.of(Events.bytes(e)));
    }
}
