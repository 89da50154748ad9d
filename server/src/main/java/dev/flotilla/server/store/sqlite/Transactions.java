package dev.flotilla.server.store.sqlite;

import dev.flotilla.server.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to one SQLite file: one writer (WAL, {@code synchronous=FULL}; concurrent writes are group
 * committed by {@link GroupCommitWriter}, each returns only after the commit holding it) and a few readers (each
 * read is one snapshot of what was committed before it).
 */
final class Transactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final int READERS = 4;
    /** Most of the database file mapped per connection (SQLite maps what the file holds, up to this). */
    private static final long MMAP_BYTES = 256L * 1024 * 1024;
    /** System property: {@code false} commits every write on its own (the benchmark's reference). */
    static final String GROUP_COMMIT_PROPERTY = "flotilla.store.sqlite.group-commit";

    /** Work in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final GroupCommitWriter writer;
    private final BlockingQueue<Connection> readers;
    private final Connection versionProbe;
    private volatile boolean closed;

    private Transactions(Path file, GroupCommitWriter writer, BlockingQueue<Connection> readers,
                         Connection versionProbe) {
        this.file = file;
        this.writer = writer;
        this.readers = readers;
        this.versionProbe = versionProbe;
    }

    static Transactions open(Path file) {
        boolean group = !"false".equalsIgnoreCase(System.getProperty(GROUP_COMMIT_PROPERTY, "true").strip());
        return open(file, group ? GroupCommitWriter.MAX_BATCH : 1);
    }

    /** {@code maxBatch}: most writes per commit (1: one commit per write). */
    static Transactions open(Path file, int maxBatch) {
        List<Connection> opened = new ArrayList<>();
        try {
            Connection w = connect(file, opened);
            try (Statement s = w.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                for (String ddl : Schema.STATEMENTS) {
                    s.execute(ddl);
                }
                s.execute("PRAGMA user_version=" + Schema.VERSION);
            }
            // the writer stays in JDBC auto-commit mode: GroupCommitWriter runs BEGIN IMMEDIATE / COMMIT itself
            // (sqlite-jdbc's manual-commit mode would open the next transaction right after each commit)
            BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
            for (int i = 0; i < READERS; i++) {
                Connection r = connect(file, opened);
                r.setAutoCommit(false);
                readers.add(r);
            }
            Connection probe = connect(file, opened);
            return new Transactions(file, new GroupCommitWriter(file, w, maxBatch), readers, probe);
        } catch (SQLException e) {
            opened.forEach(Transactions::closeQuietly);
            throw new StoreException("Cannot open the SQLite store " + file.toAbsolutePath() + ": " + e.getMessage()
                    + ". Check that the file is a Flotilla store and the directory is writable.", e);
        }
    }

    private static Connection connect(Path file, List<Connection> opened) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        opened.add(c);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            // database pages read through a memory map of the file instead of a pread(2) each: every commit (by
            // any worker) empties the connections' page caches, so a check-in's reads go to the file every time
            s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
        }
        return c;
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} in a write transaction; returns after it is committed (fsynced) or rolled back. */
    <T> T write(String what, Work<T> work) {
        return writer.write(what, work);
    }

    /** As {@link #write}, ahead of the writes already queued (see {@link GroupCommitWriter#writeFirst}). */
    <T> T writeFirst(String what, Work<T> work) {
        return writer.writeFirst(what, work);
    }

    /** Queues {@code work} as a write transaction; the stage completes after its commit (see {@link GroupCommitWriter#submit}). */
    <T> java.util.concurrent.CompletionStage<T> submit(String what, Work<T> work) {
        return writer.submit(what, work);
    }

    /** Commits of the writer so far (a commit holds one or more writes). */
    long commits() {
        return writer.commits();
    }

    /** Writes waiting for the writer thread. */
    int queuedWrites() {
        return writer.queued();
    }

    /** Writes committed so far. */
    long committedWrites() {
        return writer.committedWrites();
    }

    /**
     * SQLite's {@code PRAGMA data_version} on a connection of its own: it changes whenever any other connection,
     * in this process or another one, committed since the last call. -1 when it cannot be read.
     */
    synchronized long dataVersion() {
        if (closed) {
            return -1;
        }
        try (Statement s = versionProbe.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    <T> T read(String what, Work<T> work) {
        Connection c = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (c == null) {
                checkOpen(what);
                if (System.nanoTime() > deadline) {
                    throw new StoreException("SQLite store " + file + " is busy: no reader free for 10 s (" + what
                            + ")");
                }
                c = readers.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a SQLite reader (" + what + ")", e);
        }
        try {
            checkOpen(what);
            return run(c, what, work);
        } finally {
            readers.add(c);
        }
    }

    private <T> T run(Connection c, String what, Work<T> work) {
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("SQLite store " + file + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    private void checkOpen(String what) {
        if (closed) {
            throw new StoreException("SQLite store " + file + " is closed (" + what + ")");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(versionProbe);
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("closing the SQLite writer of {} failed: {}", file, e.getMessage());
        }
        for (int i = 0; i < READERS; i++) {
            try {
                Connection r = readers.poll(10, TimeUnit.SECONDS);
                if (r != null) {
                    closeQuietly(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(Connection c) {
        StatementCache.forget(c);
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("closing a SQLite connection failed: {}", e.getMessage());
        }
    }
}
