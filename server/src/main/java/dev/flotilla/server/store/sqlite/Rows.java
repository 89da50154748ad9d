package dev.flotilla.server.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static dev.flotilla.server.store.sqlite.Sql.instant;
import static dev.flotilla.server.store.sqlite.Sql.millis;

/** Reads store records from SQLite rows; tags and agent lists are JSON arrays. */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {
    }

    static PolicyRevision policy(ResultSet rs) throws SQLException {
        return new PolicyRevision(rs.getString("policy_id"), rs.getLong("revision"), rs.getString("data"),
                rs.getLong("seq"), millis(rs.getLong("created_at")));
    }

    static EnrollmentKey enrollmentKey(ResultSet rs) throws SQLException {
        return new EnrollmentKey(rs.getString("id"), rs.getString("api_key_id"), rs.getString("name"),
                rs.getString("policy_id"), rs.getInt("active") == 1, millis(rs.getLong("created_at")),
                instant(rs, "expire_at"));
    }

    static AgentRecord agent(ResultSet rs) throws SQLException {
        return new AgentRecord(rs.getString("id"), rs.getInt("active") == 1, rs.getString("policy_id"),
                rs.getString("type"), instant(rs, "enrolled_at"), rs.getString("access_api_key_id"),
                rs.getString("replace_token_hash"), rs.getString("enrollment_id"), rs.getString("local_metadata"),
                fromJsonList(rs.getString("tags")), rs.getLong("policy_revision"), rs.getLong("action_seq_no"),
                instant(rs, "last_checkin"), rs.getString("last_checkin_status"),
                rs.getString("last_checkin_message"), rs.getString("components"), instant(rs, "unenrolled_at"),
                rs.getString("audit_unenroll_reason"), instant(rs, "updated_at"));
    }

    /** The columns of {@code SqliteFleetStore.SELECT_AGENT_CORE}, by position. */
    static AgentCore agentCore(ResultSet rs) throws SQLException {
        return new AgentCore(rs.getString(1), rs.getInt(2) == 1, rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6));
    }

    static ActionRecord action(ResultSet rs) throws SQLException {
        return new ActionRecord(rs.getString("id"), rs.getLong("seq"), rs.getString("type"),
                fromJsonList(rs.getString("agents")), rs.getString("data"), millis(rs.getLong("created_at")),
                instant(rs, "start_time"), instant(rs, "expiration"));
    }

    static String toJson(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> fromJsonList(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("Corrupt JSON list in the SQLite store: " + e.getOriginalMessage());
        }
    }
}
