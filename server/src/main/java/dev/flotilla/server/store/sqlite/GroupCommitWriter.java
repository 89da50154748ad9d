package dev.flotilla.server.store.sqlite;

import dev.flotilla.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one writer of a SQLite file, with group commit: callers queue units of work; one thread takes every unit
 * waiting (up to {@link #MAX_BATCH}), runs each inside its own SAVEPOINT of one transaction, and commits that
 * transaction once (one fsync under {@code synchronous=FULL}). A caller returns only after the commit holding its
 * unit succeeded, so durability is that of one commit per write. A unit that throws is rolled back to its
 * savepoint alone and its exception goes to its caller only; its batch-mates commit. {@code maxBatch=1} gives one
 * commit per write (the reference the benchmark compares against).
 */
final class GroupCommitWriter implements AutoCloseable {
    static final int MAX_BATCH = 256;

    private final Path file;
    private final Connection connection;
    private final int maxBatch;
    private final LinkedBlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final Object enqueueLock = new Object();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong units = new AtomicLong();
    private boolean closed;

    /** {@code connection} must be in JDBC auto-commit mode (this writer runs BEGIN/COMMIT itself); it owns and closes it. */
    GroupCommitWriter(Path file, Connection connection, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
        }
        this.file = file;
        this.connection = connection;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, "sqlite-writer " + file.getFileName());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code work} in the next batch and waits until that batch committed (or the unit failed). */
    <T> T write(String what, Transactions.Work<T> work) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("nested SQLite write (" + what + ") from inside another write");
        }
        Unit<T> unit = new Unit<>(what, work);
        synchronized (enqueueLock) {
            if (closed) {
                throw new StoreException("SQLite store " + file + " is closed (" + what + ")");
            }
            queue.add(unit);
        }
        return unit.await();
    }

    /** Transactions committed so far (each holding one or more writes). */
    long commits() {
        return commits.get();
    }

    /** Units queued and not yet taken by the writer thread. */
    int queued() {
        return queue.size();
    }

    /** Units of work that committed so far. */
    long committedWrites() {
        return units.get();
    }

    private void loop() {
        List<Unit<?>> batch = new ArrayList<>(maxBatch);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                failAll(List.copyOf(queue), new StoreException("SQLite writer of " + file + " was interrupted"));
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            int end = batch.indexOf(Unit.STOP);
            List<Unit<?>> work = end < 0 ? batch : batch.subList(0, end);
            if (!work.isEmpty()) {
                runBatch(work);
            }
            if (end >= 0) {
                return;
            }
        }
    }

    private void runBatch(List<Unit<?>> batch) {
        List<Unit<?>> done = new ArrayList<>(batch.size());
        try {
            // IMMEDIATE: take the write lock first (waiting up to busy_timeout while another process writes), so a
            // unit that reads before it writes never meets SQLITE_BUSY_SNAPSHOT from another process's commit
            execute("BEGIN IMMEDIATE");
            for (Unit<?> unit : batch) {
                if (runInSavepoint(unit)) {
                    done.add(unit);
                }
            }
            execute("COMMIT");
            if (!done.isEmpty()) {
                commits.incrementAndGet();
                units.addAndGet(done.size());
            }
            done.forEach(Unit::release);
        } catch (Throwable e) {
            try {
                execute("ROLLBACK");
            } catch (SQLException rollback) {
                if (!String.valueOf(rollback.getMessage()).contains("no transaction is active")) {
                    e.addSuppressed(rollback);
                }
            }
            StoreException failure = new StoreException("SQLite store " + file + ": commit failed, nothing of this"
                    + " write was saved: " + e.getMessage(), e);
            failAll(batch.stream().filter(u -> !u.isFinished()).toList(), failure);
        }
    }

    /** True when the unit ran; false when it failed and was rolled back alone. */
    private boolean runInSavepoint(Unit<?> unit) throws SQLException {
        execute("SAVEPOINT unit");
        try {
            unit.run(connection);
        } catch (SQLException | RuntimeException e) {
            execute("ROLLBACK TO unit");
            execute("RELEASE unit");
            unit.fail(e instanceof StoreException se ? se
                    : new StoreException("SQLite store " + file + ": " + unit.what + " failed: " + e.getMessage(), e));
            return false;
        }
        execute("RELEASE unit");
        return true;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static void failAll(List<Unit<?>> units, StoreException failure) {
        for (Unit<?> u : units) {
            if (u != Unit.STOP) {
                u.fail(failure);
            }
        }
    }

    /** Lets queued writes finish, stops the thread, closes the connection. */
    @Override
    public void close() throws SQLException {
        synchronized (enqueueLock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(Unit.STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        connection.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One caller's work, its result, and the latch it waits on. */
    private static final class Unit<T> {
        static final Unit<Object> STOP = new Unit<>("stop", c -> null);

        final String what;
        private final Transactions.Work<T> work;
        private T result;
        private StoreException failure;
        private boolean ranOk;
        private boolean finished;

        Unit(String what, Transactions.Work<T> work) {
            this.what = what;
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
            ranOk = true;
        }

        synchronized boolean isFinished() {
            return finished;
        }

        synchronized void release() {
            finished = true;
            notifyAll();
        }

        synchronized void fail(StoreException e) {
            failure = e;
            ranOk = false;
            finished = true;
            notifyAll();
        }

        /** Waits (not interruptibly: the write may be committing) for the batch; keeps an interrupt for later. */
        synchronized T await() {
            boolean interrupted = false;
            while (!finished) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (!ranOk) {
                throw failure;
            }
            return result;
        }
    }
}
