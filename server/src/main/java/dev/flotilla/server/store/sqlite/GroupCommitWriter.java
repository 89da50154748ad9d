package dev.flotilla.server.store.sqlite;

import dev.flotilla.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one writer of a SQLite file, with group commit: callers queue units of work; one thread takes every unit
 * waiting (up to {@link #MAX_BATCH}), runs each inside its own SAVEPOINT of one transaction, and commits that
 * transaction once (one fsync under {@code synchronous=FULL}). A caller returns only after the commit holding its
 * unit succeeded, so durability is that of one commit per write. A unit that throws is rolled back to its
 * savepoint alone and its exception goes to its caller only; its batch-mates commit. {@code maxBatch=1} gives one
 * commit per write (the reference the benchmark compares against).
 *
 * <p>{@link #submit} queues a unit without blocking its caller: the returned stage completes after the commit, on
 * this writer's completion thread (never on the writer thread, so a slow continuation cannot hold up commits).
 * Continuations attached to it must not block on another write.
 *
 * <p>{@link #writeFirst} queues ahead of every waiting unit: for the rare writes a person or a whole fleet waits
 * on (a new policy revision), which would otherwise queue behind thousands of agents' acks.
 */
final class GroupCommitWriter implements AutoCloseable {
    static final int MAX_BATCH = 256;

    private final Path file;
    private final Connection connection;
    private final int maxBatch;
    private final LinkedBlockingDeque<Unit<?>> queue = new LinkedBlockingDeque<>();
    private final Object enqueueLock = new Object();
    private final Thread thread;
    private final ExecutorService completions;
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
        this.completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sqlite-commit-callbacks " + file.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::loop, "sqlite-writer " + file.getFileName());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code work} in the next batch and waits until that batch committed (or the unit failed). */
    <T> T write(String what, Transactions.Work<T> work) {
        return enqueue(new Unit<>(what, work, null)).await();
    }

    /** As {@link #write}, queued ahead of the units already waiting (they keep their order behind it). */
    <T> T writeFirst(String what, Transactions.Work<T> work) {
        return enqueue(new Unit<>(what, work, null, true)).await();
    }

    /**
     * Queues {@code work} for the next batch and returns at once; the stage completes (on the completion thread)
     * after the commit holding it, or exceptionally with a {@link StoreException}. Throws when the writer is closed.
     */
    <T> CompletionStage<T> submit(String what, Transactions.Work<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        enqueue(new Unit<>(what, work, done));
        return done;
    }

    private <T> Unit<T> enqueue(Unit<T> unit) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("nested SQLite write (" + unit.what + ") from inside another write");
        }
        synchronized (enqueueLock) {
            if (closed) {
                throw new StoreException("SQLite store " + file + " is closed (" + unit.what + ")");
            }
            if (unit.first) {
                queue.addFirst(unit);
            } else {
                queue.addLast(unit);
            }
        }
        return unit;
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
            release(done);
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

    /** Wakes the blocked callers at once; completes the submitted units' stages on the completion thread. */
    private void release(List<Unit<?>> done) {
        List<Unit<?>> async = new ArrayList<>();
        for (Unit<?> u : done) {
            u.release();
            if (u.stage != null) {
                async.add(u);
            }
        }
        if (!async.isEmpty()) {
            completions.execute(() -> async.forEach(Unit::completeStage));
        }
    }

    private void fail(Unit<?> unit, StoreException failure) {
        unit.fail(failure);
        if (unit.stage != null) {
            completions.execute(unit::completeStage);
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
            fail(unit, e instanceof StoreException se ? se
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

    private void failAll(List<Unit<?>> units, StoreException failure) {
        for (Unit<?> u : units) {
            if (u != Unit.STOP) {
                fail(u, failure);
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
        StatementCache.forget(connection);
        connection.close();
        completions.shutdown();
        try {
            if (!completions.awaitTermination(10, TimeUnit.SECONDS)) {
                completions.shutdownNow();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One caller's work, its result, and the latch it waits on (or the stage it completes). */
    private static final class Unit<T> {
        static final Unit<Object> STOP = new Unit<>("stop", c -> null, null);

        final String what;
        private final Transactions.Work<T> work;
        /** Queued ahead of the waiting units ({@link #writeFirst}). */
        final boolean first;

        /** Null for a blocked caller ({@link #await}); the caller's stage for a submitted unit. */
        final CompletableFuture<T> stage;
        private T result;
        private StoreException failure;
        private boolean ranOk;
        private boolean finished;

        Unit(String what, Transactions.Work<T> work, CompletableFuture<T> stage) {
            this(what, work, stage, false);
        }

        Unit(String what, Transactions.Work<T> work, CompletableFuture<T> stage, boolean first) {
            this.what = what;
            this.work = work;
            this.stage = stage;
            this.first = first;
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

        /** Completes the submitted unit's stage with what {@link #release} or {@link #fail} recorded. */
        void completeStage() {
            T r;
            StoreException f;
            synchronized (this) {
                r = result;
                f = ranOk ? null : failure;
            }
            if (f != null) {
                stage.completeExceptionally(f);
            } else {
                stage.complete(r);
            }
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
