package dev.flotilla.server.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Which workers of one {@code flotilla server --workers N} host are answering a burst of woken check-ins right now:
 * a small file in the data directory that every worker maps, one slot per worker (answers it still owes, and when
 * its burst began). A policy change wakes the check-ins of every worker at about the same time, and the workers
 * share the CPUs: a worker that has written all its answers holds its agents' next requests (acks, check-ins) back
 * while the others still write theirs ({@link ReadPause}), so one host answers every agent first, as one process does.
 *
 * <p>A slot counts for at most {@code fresh} after its burst began, so a worker that died mid-burst holds nobody
 * back for longer than that. Slots are 8-byte aligned longs written and read as volatile; the file holds no
 * durable state (it is rewritten from zero on every start).
 */
public final class WorkerAnswerBoard implements AutoCloseable {
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "workers.answers";
    static final int SLOTS = 256;
    private static final int SLOT_BYTES = 16;
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer map;
    private final int self;
    private final long freshMillis;
    private final LongSupplier clock;
    private long publishedOwed;

    private WorkerAnswerBoard(MappedByteBuffer map, int self, long freshMillis, LongSupplier clock) {
        this.map = map;
        this.self = self;
        this.freshMillis = freshMillis;
        this.clock = clock;
    }

    /** Maps {@code dataDir/}{@value #FILE_NAME} as worker {@code worker} (0..255) and clears this worker's slot. */
    public static WorkerAnswerBoard open(Path dataDir, int worker, long freshMillis) {
        return open(dataDir.resolve(FILE_NAME), worker, freshMillis, System::currentTimeMillis);
    }

    static WorkerAnswerBoard open(Path path, int worker, long freshMillis, LongSupplier clock) {
        if (worker < 0 || worker >= SLOTS) {
            throw new IllegalArgumentException("worker " + worker + " (expected 0.." + (SLOTS - 1) + ")");
        }
        MappedByteBuffer map = HostSharedFile.map(path, SLOTS * SLOT_BYTES, "the workers' answer board");
        WorkerAnswerBoard board = new WorkerAnswerBoard(map, worker, freshMillis, clock);
        board.write(0, 0);
        return board;
    }

    /** This worker now owes {@code owed} answers; a burst's start time is kept while it goes on. */
    synchronized void publish(long owed) {
        if (owed > 0 && publishedOwed <= 0) {
            write(owed, clock.getAsLong());
        } else if (owed != publishedOwed) {
            LONGS.setVolatile(map, self * SLOT_BYTES, owed);
        }
        publishedOwed = owed;
    }

    /** Whether another worker owes answers to a burst that began less than {@code fresh} ago. */
    boolean othersOwe() {
        long now = clock.getAsLong();
        for (int i = 0; i < SLOTS; i++) {
            if (i == self) {
                continue;
            }
            long owed = (long) LONGS.getVolatile(map, i * SLOT_BYTES);
            if (owed > 0 && now - (long) LONGS.getVolatile(map, i * SLOT_BYTES + 8) < freshMillis) {
                return true;
            }
        }
        return false;
    }

    private void write(long owed, long since) {
        LONGS.setVolatile(map, self * SLOT_BYTES + 8, since);
        LONGS.setVolatile(map, self * SLOT_BYTES, owed);
    }

    /** Clears this worker's slot (the file holds nothing to keep: closing cannot lose anything). */
    @Override
    public void close() {
        publish(0);
    }
}
