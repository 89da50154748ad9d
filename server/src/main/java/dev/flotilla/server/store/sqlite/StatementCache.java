package dev.flotilla.server.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prepared statements kept per connection and SQL text, so a query is compiled by SQLite once per connection
 * instead of once per call. Safe because a connection is used by one thread at a time (the writer thread, or the
 * reader borrowed from the pool). Callers never close a cached statement; a statement whose execution failed is
 * dropped ({@link #evict}), and {@link #forget} closes a connection's statements before the connection closes.
 */
final class StatementCache {
    private static final int MAX_PER_CONNECTION = 128;
    private static final Map<Connection, Map<String, PreparedStatement>> CACHE = new ConcurrentHashMap<>();

    private StatementCache() {
    }

    static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> statements = CACHE.computeIfAbsent(c, k -> new HashMap<>());
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = c.prepareStatement(sql);
            if (statements.size() < MAX_PER_CONNECTION) {
                statements.put(sql, ps);
            }
        }
        return ps;
    }

    /** After a failed execution: closes the statement and prepares it afresh next time. */
    static void evict(Connection c, String sql) {
        Map<String, PreparedStatement> statements = CACHE.get(c);
        PreparedStatement ps = statements == null ? null : statements.remove(sql);
        closeQuietly(ps);
    }

    /** Closes and forgets every statement of a connection that is about to close. */
    static void forget(Connection c) {
        Map<String, PreparedStatement> statements = CACHE.remove(c);
        if (statements != null) {
            statements.values().forEach(StatementCache::closeQuietly);
        }
    }

    /** Statements cached for a connection (tests). */
    static int size(Connection c) {
        Map<String, PreparedStatement> statements = CACHE.get(c);
        return statements == null ? 0 : statements.size();
    }

    private static void closeQuietly(PreparedStatement ps) {
        if (ps != null) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement of a connection being dropped: nothing to do
            }
        }
    }
}
