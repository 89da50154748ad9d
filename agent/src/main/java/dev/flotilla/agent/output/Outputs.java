package dev.flotilla.agent.output;

import dev.flotilla.agent.AgentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The policy's outputs, each with its own disk queue ({@code <root>/<output name>/}) and shipper thread. Inputs
 * append to {@link #queue(String)}; {@link #configure(Map)} points every shipper at its output's current settings
 * (an output that left the policy keeps its queue on disk, unsent, until it comes back).
 */
public final class Outputs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outputs.class);

    private record Pipeline(DiskQueue queue, Shipper shipper, Thread thread) {
    }

    private final Path root;
    private final Map<String, Pipeline> pipelines = new TreeMap<>();
    private boolean closed;

    /** Opens the queues already under {@code root} (events from before a restart) and starts their shippers. */
    public Outputs(Path root) {
        this.root = root;
        if (Files.isDirectory(root)) {
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory).forEach(d -> pipeline(d.getFileName().toString()));
            } catch (IOException e) {
                throw new AgentException("cannot list the event queues in " + root + ": " + e.getMessage(), e);
            }
        }
    }

    /** The queue of output {@code name}, created on first use. */
    public synchronized DiskQueue queue(String name) {
        return pipeline(name).queue();
    }

    /** Sends each queue to its output in {@code policy}; throws (after configuring the others) when one is unusable. */
    public synchronized void configure(Map<String, Object> policy) {
        Map<?, ?> defined = policy.get("outputs") instanceof Map<?, ?> m ? m : Map.of();
        List<String> problems = new ArrayList<>();
        for (Object name : defined.keySet()) {
            try {
                ElasticsearchOutput out = new ElasticsearchOutput(OutputSettings.fromPolicy(policy, String.valueOf(name)));
                pipeline(String.valueOf(name)).shipper().setOutput(out);
                LOG.info("output '{}': {}", name, out.settings());
            } catch (AgentException e) {
                problems.add(e.getMessage());
            }
        }
        for (Map.Entry<String, Pipeline> p : pipelines.entrySet()) {
            if (!defined.containsKey(p.getKey())) {
                p.getValue().shipper().setOutput(null);
            }
        }
        if (!problems.isEmpty()) {
            throw new AgentException(String.join("; ", problems));
        }
    }

    public synchronized long pending() {
        return pipelines.values().stream().mapToLong(p -> p.queue().pending()).sum();
    }

    public synchronized long shipped() {
        return pipelines.values().stream().mapToLong(p -> p.shipper().shipped()).sum();
    }

    /** The first failing output's error, or null when all ship. */
    public synchronized String lastError() {
        return pipelines.values().stream().map(p -> p.shipper().lastError()).filter(e -> e != null).findFirst().orElse(null);
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Pipeline p : pipelines.values()) {
            p.shipper().stop();
            p.thread().interrupt();
        }
        for (Pipeline p : pipelines.values()) {
            try {
                p.thread().join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.queue().close();
        }
    }

    private Pipeline pipeline(String name) {
        Pipeline p = pipelines.get(name);
        if (p == null) {
            if (closed) {
                throw new AgentException("the agent is stopping; output '" + name + "' takes no more events");
            }
            DiskQueue q = new DiskQueue(root.resolve(directoryName(name)));
            Shipper s = new Shipper(q);
            Thread t = new Thread(s, "agent-output-" + name);
            t.setDaemon(true);
            t.start();
            p = new Pipeline(q, s, t);
            pipelines.put(name, p);
        }
        return p;
    }

    /** Output names as directory names: letters, digits, '.', '-', '_' kept, anything else replaced. */
    static String directoryName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }
}
