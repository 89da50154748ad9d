package dev.flotilla.agent.input;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.output.DiskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tails the files named by the policy's {@code logfile} inputs: each complete new line becomes an event in the
 * queue, then the file's offset is saved. A file that shrank or was replaced (new identity) is read from the
 * start. {@link #poll()} does one pass; the agent calls it on a timer. While the queue is full it reads nothing: the
 * lines wait in their files, and the offsets say where to resume.
 */
public final class LogfileInput {
    private static final Logger LOG = LoggerFactory.getLogger(LogfileInput.class);
    private static final int MAX_READ = 1 << 20;

    private final Function<String, DiskQueue> queues;
    private final FileRegistry registry;
    private final String agentId;
    private volatile List<LogfileSpec> specs = List.of();

    /** Lines go to {@code queues.apply(output name)} of each stream's {@code use_output}. */
    public LogfileInput(Function<String, DiskQueue> queues, Path registryFile, String agentId) {
        this.queues = queues;
        this.registry = new FileRegistry(registryFile);
        this.agentId = agentId;
    }

    public void configure(List<LogfileSpec> next) {
        specs = List.copyOf(next);
    }

    /** Reads what was appended to every configured file since the last pass; returns the number of lines queued. */
    public int poll() {
        int lines = 0;
        for (LogfileSpec spec : specs) {
            DiskQueue queue = queues.apply(spec.output());
            if (queue.isFull()) {
                LOG.warn("queue of output '{}' holds {} bytes (over its limit): not reading its log files until the"
                        + " output catches up", spec.output(), queue.bytesOnDisk());
                continue;
            }
            for (String pattern : spec.paths()) {
                for (Path p : expand(pattern)) {
                    try {
                        lines += readNew(p, spec, queue);
                    } catch (IOException e) {
                        LOG.warn("logfile input: cannot read {}: {}", p, e.getMessage());
                    }
                }
            }
        }
        return lines;
    }

    private int readNew(Path p, LogfileSpec spec, DiskQueue queue) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        String key = String.valueOf(attrs.fileKey());
        String path = p.toAbsolutePath().toString();
        FileRegistry.Position pos = registry.get(path);
        long offset = pos == null || !pos.fileKey().equals(key) || attrs.size() < pos.offset() ? 0 : pos.offset();
        if (attrs.size() == offset) {
            return 0;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_READ, attrs.size() - offset));
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // keep reading until the buffer is full or the file ends
            }
        }
        byte[] data = buf.array();
        int end = buf.position();
        List<byte[]> events = new ArrayList<>();
        int start = 0;
        long consumed = 0;
        for (int i = 0; i < end; i++) {
            if (data[i] == '\n') {
                int len = i > start && data[i - 1] == '\r' ? i - 1 - start : i - start;
                String line = new String(data, start, len, StandardCharsets.UTF_8);
                events.add(event(path, offset + start, line, spec));
                start = i + 1;
                consumed = start;
            }
        }
        if (events.isEmpty() && end == MAX_READ) {
            // a "line" longer than the read buffer: ship it cut, rather than stall on it forever
            events.add(event(path, offset, new String(data, 0, end, StandardCharsets.UTF_8), spec));
            consumed = end;
        }
        if (events.isEmpty()) {
            return 0;
        }
        queue.append(events);
        registry.put(path, new FileRegistry.Position(key, offset + consumed));
        return events.size();
    }

    private ObjectNode eventNode(String path, long offset, String line, LogfileSpec spec) {
        ObjectNode e = Events.base("logs", spec.dataset(), spec.namespace(), agentId);
        e.put("message", line);
        ObjectNode log = e.putObject("log");
        log.putObject("file").put("path", path);
        log.put("offset", offset);
        e.putObject("input").put("type", "logfile");
        return e;
    }

    private byte[] event(String path, long offset, String line, LogfileSpec spec) {
        return Events.bytes(eventNode(path, offset, line, spec));
    }

    private static List<Path> expand(String pattern) {
        Path p = Path.of(pattern);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            return Files.isRegularFile(p) ? List.of(p) : List.of();
        }
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
            ds.forEach(f -> {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            });
        } catch (IOException e) {
            LOG.warn("logfile input: cannot list {}: {}", dir, e.getMessage());
        }
        out.sort(null);
        return out;
    }
}
