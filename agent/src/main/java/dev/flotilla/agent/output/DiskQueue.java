package dev.flotilla.agent.output;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.state.SecureFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A disk-backed FIFO of events. Events are appended to segment files ({@code <first offset>.seg}, records of
 * {@code length | crc32 | bytes}) and fsynced before {@link #append} returns; each event has an offset (0, 1, 2,
 * ...). Readers take events after the acked offset; {@link #ack(long)} records progress durably and deletes
 * segments that are wholly acked. On open, a torn record at the end of the last segment (a crash mid-write) is
 * cut off; nothing that {@link #append} returned for is lost. {@link #isFull()} tells producers that can wait (the
 * logfile input keeps its file offsets) to hold back while more than the limit sits on disk.
 */
public final class DiskQueue implements AutoCloseable {
    private static final long SEGMENT_BYTES = 4L << 20;
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 16 << 20;
    /** Bytes on disk above which {@link #isFull()} asks producers to wait. */
    public static final long DEFAULT_LIMIT = 1L << 30;

    /** One queued event and its offset. */
    public record Entry(long offset, byte[] bytes) {
    }

    private final Path dir;
    private final Path ackFile;
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel tail;
    private long nextOffset;
    private long acked;
    private long bytesOnDisk;
    private final long limit;

    public DiskQueue(Path dir) {
        this(dir, DEFAULT_LIMIT);
    }

    public DiskQueue(Path dir, long limitBytes) {
        this.dir = dir;
        this.limit = limitBytes;
        this.ackFile = dir.resolve("acked");
        SecureFiles.createPrivateDirectory(dir);
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".seg"))
                    .forEach(p -> segments.put(firstOffsetOf(p), p));
            acked = Files.exists(ackFile) ? Long.parseLong(Files.readString(ackFile).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            throw new AgentException("cannot open the event queue in " + dir + ": " + e.getMessage()
                    + "; check permissions, or move the directory away to start with an empty queue", e);
        }
        if (segments.isEmpty()) {
            nextOffset = acked + 1;
            openTail(nextOffset);
        } else {
            recoverTail();
        }
        bytesOnDisk = segments.values().stream().mapToLong(p -> p.toFile().length()).sum();
    }

    /** True while more than the limit is queued on disk; producers that can wait should. */
    public synchronized boolean isFull() {
        return bytesOnDisk > limit;
    }

    public synchronized long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** Appends {@code events} and forces them to disk; returns the offset of the last one. */
    public synchronized long append(List<byte[]> events) {
        try {
            for (byte[] e : events) {
                if (e.length > MAX_RECORD) {
                    throw new AgentException("event of " + e.length + " bytes is larger than the queue's limit of "
                            + MAX_RECORD + " bytes");
                }
                if (tail.size() >= SEGMENT_BYTES) {
                    tail.force(true);
                    tail.close();
                    openTail(nextOffset);
                }
                ByteBuffer buf = ByteBuffer.allocate(HEADER + e.length);
                CRC32 crc = new CRC32();
                crc.update(e);
                buf.putInt(e.length).putInt((int) crc.getValue()).put(e).flip();
                while (buf.hasRemaining()) {
                    tail.write(buf);
                }
                bytesOnDisk += HEADER + e.length;
                nextOffset++;
            }
            tail.force(false);
            notifyAll();
            return nextOffset - 1;
        } catch (IOException e) {
            throw new AgentException("cannot write to the event queue in " + dir + ": " + e.getMessage()
                    + "; check free disk space", e);
        }
    }

    /** Up to {@code max} events after the acked offset, oldest first. */
    public synchronized List<Entry> readUnacked(int max) {
        return read(acked + 1, max);
    }

    /** Up to {@code max} events from offset {@code from}, oldest first. */
    public synchronized List<Entry> read(long from, int max) {
        List<Entry> out = new ArrayList<>();
        Long start = segments.floorKey(from);
        if (start == null) {
            start = segments.isEmpty() ? null : segments.firstKey();
        }
        if (start == null) {
            return out;
        }
        for (var seg : segments.tailMap(start, true).entrySet()) {
            long offset = seg.getKey();
            try (FileChannel ch = FileChannel.open(seg.getValue(), StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                long pos = 0;
                long size = ch.size();
                while (pos + HEADER <= size && out.size() < max && offset < nextOffset) {
                    header.clear();
                    ch.read(header, pos);
                    header.flip();
                    int len = header.getInt();
                    if (offset >= from) {
                        ByteBuffer body = ByteBuffer.allocate(len);
                        ch.read(body, pos + HEADER);
                        out.add(new Entry(offset, body.array()));
                    }
                    pos += HEADER + len;
                    offset++;
                }
            } catch (IOException e) {
                throw new AgentException("cannot read the event queue segment " + seg.getValue() + ": "
                        + e.getMessage(), e);
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /** Marks every event up to {@code offset} as delivered (durably) and drops wholly delivered segments. */
    public synchronized void ack(long offset) {
        if (offset <= acked) {
            return;
        }
        acked = Math.min(offset, nextOffset - 1);
        SecureFiles.writePrivate(ackFile, Long.toString(acked).getBytes(StandardCharsets.US_ASCII));
        if (acked == nextOffset - 1 && bytesOnDisk >= (1L << 20)) {
            rollDeliveredTail();
        }
        while (segments.size() > 1) {
            long first = segments.firstKey();
            long nextFirst = segments.higherKey(first);
            if (nextFirst - 1 > acked) {
                break;
            }
            try {
                Path gone = segments.remove(first);
                bytesOnDisk -= gone.toFile().length();
                Files.deleteIfExists(gone);
            } catch (IOException e) {
                throw new AgentException("cannot delete delivered queue segment in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Everything is delivered and the tail is large: start a fresh segment so the old one can be deleted. */
    private void rollDeliveredTail() {
        try {
            tail.force(true);
            tail.close();
        } catch (IOException e) {
            throw new AgentException("cannot close queue segment in " + dir + ": " + e.getMessage(), e);
        }
        openTail(nextOffset);
    }

    /** Events appended but not yet acked. */
    public synchronized long pending() {
        return nextOffset - 1 - acked;
    }

    public synchronized long ackedOffset() {
        return acked;
    }

    /** Waits up to {@code millis} for events to be pending. */
    public synchronized void awaitPending(long millis) throws InterruptedException {
        if (pending() == 0) {
            wait(millis);
        }
    }

    @Override
    public synchronized void close() {
        try {
            tail.close();
        } catch (IOException ignored) {
            // closing a read-write channel after force() has nothing left to lose
        }
    }

    private void recoverTail() {
        long first = segments.lastKey();
        Path p = segments.get(first);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0;
            long offset = first;
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                ch.read(header, pos);
                header.flip();
                int len = header.getInt();
                int crc = header.getInt();
                if (len < 0 || len > MAX_RECORD || pos + HEADER + len > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                ch.read(body, pos + HEADER);
                CRC32 c = new CRC32();
                c.update(body.array());
                if ((int) c.getValue() != crc) {
                    break;
                }
                pos += HEADER + len;
                offset++;
            }
            if (pos < size) {
                ch.truncate(pos);
                ch.force(true);
            }
            nextOffset = offset;
        } catch (IOException e) {
            throw new AgentException("cannot recover the event queue segment " + p + ": " + e.getMessage(), e);
        }
        try {
            tail = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AgentException("cannot open the event queue segment " + p + ": " + e.getMessage(), e);
        }
    }

    private void openTail(long firstOffset) {
        Path p = dir.resolve(String.format("%020d.seg", firstOffset));
        try {
            tail = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            segments.put(firstOffset, p);
            SecureFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new AgentException("cannot create queue segment " + p + ": " + e.getMessage(), e);
        }
    }

    private static long firstOffsetOf(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring(0, n.length() - ".seg".length()));
    }
}
