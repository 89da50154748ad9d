package dev.flotilla.server.checkin;

import dev.flotilla.server.http.HostSharedFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * A counter the workers of one {@code flotilla server --workers N} host share through a small mapped file in the
 * data directory: the worker that writes a policy revision or an action bumps it, and every worker's
 * {@link ChangeWatcher} looks at it every few milliseconds and reads the store's change feed as soon as it moved,
 * instead of at its next poll of the store. A policy change so wakes every worker's check-ins at about the same
 * time, which the workers' shared hold on reading ({@code ReadPause}) relies on. The file holds nothing durable: a
 * lost bump only delays a worker to its next poll.
 */
public final class ChangeSignal implements AutoCloseable {
    /** The file's name in the data directory. */
    public static final String FILE_NAME = "workers.changes";
    private static final int SIZE = 8;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer map;

    private ChangeSignal(MappedByteBuffer map) {
        this.map = map;
    }

    /** Maps {@code dataDir/}{@value #FILE_NAME}, creating it when missing. */
    public static ChangeSignal open(Path dataDir) {
        return new ChangeSignal(HostSharedFile.map(dataDir.resolve(FILE_NAME), SIZE, "the workers' change signal"));
    }

    /** Tells the other workers that the store's change feed has something new. */
    void bump() {
        LONG.getAndAdd(map, 0, 1L);
    }

    /** The counter now: a watcher compares it with the value it last saw. */
    long read() {
        return (long) LONG.getVolatile(map, 0);
    }

    /** Nothing to release: the mapping goes with the process (kept so callers treat it as the resource it is). */
    @Override
    public void close() {
    }
}
