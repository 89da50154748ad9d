package dev.flotilla.server.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers: bind arguments, read one row or many, update (statements prepared once per connection,
 * {@link StatementCache}), epoch-millisecond times.
 */
final class Sql {
    private Sql() {
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else if (a instanceof Instant t) {
                ps.setLong(i + 1, t.toEpochMilli());
            } else if (a instanceof byte[] bytes) {
                ps.setBytes(i + 1, bytes);
            } else {
                ps.setString(i + 1, a.toString());
            }
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        PreparedStatement ps = StatementCache.prepare(c, sql);
        try {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(row.read(rs)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            StatementCache.evict(c, sql);
            throw e;
        }
    }

    static <T> List<T> many(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        PreparedStatement ps = StatementCache.prepare(c, sql);
        try {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.read(rs));
                }
                return out;
            }
        } catch (SQLException | RuntimeException e) {
            StatementCache.evict(c, sql);
            throw e;
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = StatementCache.prepare(c, sql);
        try {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            StatementCache.evict(c, sql);
            throw e;
        }
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value.toEpochMilli());
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Instant millis(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

}
