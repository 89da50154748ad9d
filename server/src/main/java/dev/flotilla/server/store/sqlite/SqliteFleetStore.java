package dev.flotilla.server.store.sqlite;

import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.ActionResult;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.CheckinUpdate;
import dev.flotilla.server.store.EnrollmentKey;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreChanges;
import dev.flotilla.server.store.StoreCursor;
import dev.flotilla.server.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite file in the data directory, in WAL mode with {@code synchronous=FULL}, so a
 * write that returned survives a crash or {@code kill -9}. Every method is one transaction ({@link Transactions}:
 * one writer, a few readers). Other processes may open the same file (the change feed sees their writes).
 */
public final class SqliteFleetStore implements FleetStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteFleetStore.class);
    public static final String FILE_NAME = "fleet.db";
    private static final String INSERT_AGENT = "INSERT OR REPLACE INTO agents(id, active, policy_id, type,"
            + " enrolled_at, access_api_key_id, replace_token_hash, enrollment_id, local_metadata, tags,"
            + " policy_revision, action_seq_no, last_checkin, last_checkin_status, last_checkin_message,"
            + " components, unenrolled_at, audit_unenroll_reason, updated_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private final Transactions db;
    /** The change feed's last answer: unchanged data_version and the same cursor mean nothing new (no query). */
    private long feedVersion = -1;
    private StoreCursor feedCursor;

    private SqliteFleetStore(Transactions db) {
        this.db = db;
    }

    /** Opens (creating when needed) {@code <dataDir>/fleet.db}. */
    public static SqliteFleetStore openInDirectory(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("Cannot create the data directory " + dataDir + ": " + e.getMessage()
                    + ". Choose a writable --data-dir.", e);
        }
        return open(dataDir.resolve(FILE_NAME));
    }

    public static SqliteFleetStore open(Path file) {
        Transactions db = Transactions.open(file);
        LOG.info("store opened: sqlite {}", file.toAbsolutePath());
        return new SqliteFleetStore(db);
    }

    /** The connections (package-private for tests that count commits). */
    Transactions transactions() {
        return db;
    }

    private <T> T tx(String what, Transactions.Work<T> work) {
        return db.write(what, work);
    }

    private <T> T read(String what, Transactions.Work<T> work) {
        return db.read(what, work);
    }

    // ------------------------------------------------------------------ policies

    @Override
    public PolicyRevision putPolicy(String policyId, String data) {
        // ahead of queued agent writes: every agent of the policy waits for this one
        return db.writeFirst("put policy " + policyId, c -> {
            long next = 1;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT MAX(revision) FROM policies WHERE policy_id=?")) {
                ps.setString(1, policyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        next = rs.getLong(1) + 1;
                    }
                }
            }
            Instant now = Instant.now();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO policies(policy_id, revision, data, created_at) VALUES (?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, policyId);
                ps.setLong(2, next);
                ps.setString(3, data);
                ps.setLong(4, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new PolicyRevision(policyId, next, data, keys.getLong(1), Sql.millis(now.toEpochMilli()));
                }
            }
        });
    }

    @Override
    public Optional<PolicyRevision> latestPolicy(String policyId) {
        return read("read policy " + policyId, c -> Sql.one(c,
                "SELECT * FROM policies WHERE policy_id=? ORDER BY revision DESC LIMIT 1",
                Rows::policy, policyId));
    }

    @Override
    public List<PolicyRevision> listPolicies() {
        return read("list policies", c -> Sql.many(c, "SELECT p.* FROM policies p JOIN (SELECT policy_id, MAX(revision) r"
                + " FROM policies GROUP BY policy_id) m ON p.policy_id=m.policy_id AND p.revision=m.r"
                + " ORDER BY p.policy_id", Rows::policy));
    }


    // ------------------------------------------------------------------ API keys, enrollment keys

    @Override
    public void createApiKey(ApiKeyRecord key) {
        tx("create API key", c -> {
            insertApiKey(c, key);
            return null;
        });
    }

    private static void insertApiKey(Connection c, ApiKeyRecord key) throws SQLException {
        Sql.update(c, "INSERT INTO api_keys(id, secret_hash, kind, owner_id, active, created_at, invalidated_at)"
                + " VALUES (?,?,?,?,?,?,?)", key.id(), key.secretHash(), key.kind(), key.ownerId(), key.active(),
                key.createdAt(), key.invalidatedAt());
    }

    @Override
    public Optional<ApiKeyRecord> findApiKey(String id) {
        return read("read API key", c -> Sql.one(c, "SELECT * FROM api_keys WHERE id=?", rs -> new ApiKeyRecord(
                rs.getString("id"), rs.getBytes("secret_hash"), rs.getString("kind"), rs.getString("owner_id"),
                rs.getInt("active") == 1, Sql.millis(rs.getLong("created_at")), Sql.instant(rs, "invalidated_at")), id));
    }

    @Override
    public void invalidateApiKeys(Collection<String> ids, Instant at) {
        tx("invalidate API keys", c -> {
            invalidate(c, ids, at);
            return null;
        });
    }

    private static void invalidate(Connection c, Collection<String> ids, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE api_keys SET active=0, invalidated_at=? WHERE id=? AND active=1")) {
            for (String id : ids) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void createEnrollmentKey(EnrollmentKey key, ApiKeyRecord apiKey) {
        tx("create enrollment key", c -> {
            insertApiKey(c, apiKey);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO enrollment_keys(id, api_key_id, name,"
                    + " policy_id, active, created_at, expire_at) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, key.id());
                ps.setString(2, key.apiKeyId());
                ps.setString(3, key.name());
                ps.setString(4, key.policyId());
                ps.setInt(5, key.active() ? 1 : 0);
                ps.setLong(6, key.createdAt().toEpochMilli());
                Sql.setInstant(ps, 7, key.expireAt());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<EnrollmentKey> findEnrollmentKey(String id) {
        return read("read enrollment key", c -> Sql.one(c, "SELECT * FROM enrollment_keys WHERE id=?",
                Rows::enrollmentKey, id));
    }

    @Override
    public Optional<EnrollmentKey> findEnrollmentKeyByApiKeyId(String apiKeyId) {
        return read("read enrollment key", c -> Sql.one(c, "SELECT * FROM enrollment_keys WHERE api_key_id=?",
                Rows::enrollmentKey, apiKeyId));
    }

    @Override
    public List<EnrollmentKey> listEnrollmentKeys() {
        return read("list enrollment keys", c -> Sql.many(c, "SELECT * FROM enrollment_keys ORDER BY created_at, id",
                Rows::enrollmentKey));
    }

    @Override
    public boolean revokeEnrollmentKey(String id, Instant at) {
        return tx("revoke enrollment key " + id, c -> {
            Optional<EnrollmentKey> key = Sql.one(c, "SELECT * FROM enrollment_keys WHERE id=?",
                    Rows::enrollmentKey, id);
            if (key.isEmpty()) {
                return false;
            }
            Sql.update(c, "UPDATE enrollment_keys SET active=0 WHERE id=?", id);
            invalidate(c, List.of(key.get().apiKeyId()), at);
            return true;
        });
    }


    // ------------------------------------------------------------------ agents

    @Override
    public void enrollAgent(AgentRecord agent, ApiKeyRecord accessKey) {
        tx("enroll agent " + agent.id(), enrollment(agent, accessKey));
    }

    @Override
    public CompletionStage<Void> enrollAgentAsync(AgentRecord agent, ApiKeyRecord accessKey) {
        return db.submit("enroll agent " + agent.id(), enrollment(agent, accessKey));
    }

    private static Transactions.Work<Void> enrollment(AgentRecord agent, ApiKeyRecord accessKey) {
        return c -> {
            Optional<AgentRecord> previous = Sql.one(c, "SELECT * FROM agents WHERE id=?", Rows::agent,
                    agent.id());
            if (previous.isPresent() && previous.get().accessApiKeyId() != null) {
                invalidate(c, List.of(previous.get().accessApiKeyId()), agent.enrolledAt());
            }
            insertApiKey(c, accessKey);
            Sql.update(c, INSERT_AGENT, agent.id(), agent.active(), agent.policyId(), agent.type(), agent.enrolledAt(),
                    agent.accessApiKeyId(), agent.replaceTokenHash(), agent.enrollmentId(), agent.localMetadata(),
                    Rows.toJson(agent.tags()), agent.policyRevision(), agent.actionSeqNo(), agent.lastCheckin(),
                    agent.lastCheckinStatus(), agent.lastCheckinMessage(), agent.components(), agent.unenrolledAt(),
                    agent.auditUnenrollReason(), agent.updatedAt());
            return null;
        };
    }

    @Override
    public Optional<AgentRecord> findAgent(String agentId) {
        return read("read agent", c -> Sql.one(c, "SELECT * FROM agents WHERE id=?", Rows::agent, agentId));
    }

    /** The columns {@link Rows#agentCore} reads by position, from the covering index. */
    private static final String SELECT_AGENT_CORE = "SELECT id, active, policy_id, access_api_key_id, policy_revision,"
            + " action_seq_no FROM agents INDEXED BY agents_core";

    @Override
    public Optional<AgentCore> findAgentCore(String agentId) {
        return read("read agent", c -> Sql.one(c, SELECT_AGENT_CORE + " WHERE id=?", Rows::agentCore, agentId));
    }

    @Override
    public boolean batchesAgentCoreReads() {
        return true;
    }

    /** One query for all of them: the ids go in as one JSON array, read by {@code json_each}. */
    @Override
    public Map<String, AgentCore> findAgentCores(Collection<String> agentIds) {
        if (agentIds.isEmpty()) {
            return Map.of();
        }
        List<AgentCore> cores = read("read agents", c -> Sql.many(c, SELECT_AGENT_CORE
                + " WHERE id IN (SELECT value FROM json_each(?))", Rows::agentCore, Rows.toJson(List.copyOf(agentIds))));
        Map<String, AgentCore> found = new HashMap<>(cores.size() * 2);
        for (AgentCore core : cores) {
            found.put(core.id(), core);
        }
        return found;
    }

    @Override
    public Optional<AgentRecord> findAgentByEnrollmentId(String enrollmentId) {
        return read("read agent", c -> Sql.one(c, "SELECT * FROM agents WHERE enrollment_id=? LIMIT 1",
                Rows::agent, enrollmentId));
    }

    @Override
    public List<AgentRecord> listAgents() {
        return read("list agents", c -> Sql.many(c, "SELECT * FROM agents ORDER BY enrolled_at, id", Rows::agent));
    }

    @Override
    public void recordCheckins(List<CheckinUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        tx("record " + updates.size() + " check-ins", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET last_checkin=?,"
                    + " last_checkin_status=COALESCE(?, last_checkin_status),"
                    + " last_checkin_message=COALESCE(?, last_checkin_message),"
                    + " local_metadata=COALESCE(?, local_metadata), components=COALESCE(?, components),"
                    + " updated_at=? WHERE id=?")) {
                for (CheckinUpdate u : updates) {
                    ps.setLong(1, u.at().toEpochMilli());
                    ps.setString(2, u.status());
                    ps.setString(3, u.message());
                    ps.setString(4, u.localMetadata());
                    ps.setString(5, u.components());
                    ps.setLong(6, u.at().toEpochMilli());
                    ps.setString(7, u.agentId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void recordPolicyAck(String agentId, String policyId, long revision, Instant at) {
        tx("record policy ack", policyAck(agentId, policyId, revision, at));
    }

    @Override
    public CompletionStage<Void> recordPolicyAckAsync(String agentId, String policyId, long revision, Instant at) {
        return db.submit("record policy ack", policyAck(agentId, policyId, revision, at));
    }

    private static Transactions.Work<Void> policyAck(String agentId, String policyId, long revision, Instant at) {
        return c -> {
            Sql.update(c, "UPDATE agents SET policy_revision=?, updated_at=? WHERE id=? AND policy_id=?"
                    + " AND policy_revision<?", revision, at.toEpochMilli(), agentId, policyId, revision);
            return null;
        };
    }

    @Override
    public void recordActionSeqNo(String agentId, long seqNo, Instant at) {
        tx("record action ack", actionSeqNo(agentId, seqNo, at));
    }

    @Override
    public CompletionStage<Void> recordActionSeqNoAsync(String agentId, long seqNo, Instant at) {
        return db.submit("record action ack", actionSeqNo(agentId, seqNo, at));
    }

    private static Transactions.Work<Void> actionSeqNo(String agentId, long seqNo, Instant at) {
        return c -> {
            Sql.update(c, "UPDATE agents SET action_seq_no=?, updated_at=? WHERE id=? AND action_seq_no<?", seqNo,
                    at.toEpochMilli(), agentId, seqNo);
            return null;
        };
    }

    @Override
    public void assignPolicy(String agentId, String policyId, Instant at) {
        tx("assign policy", c -> Sql.update(c, "UPDATE agents SET policy_id=?, policy_revision=-1, updated_at=?"
                + " WHERE id=?", policyId, at.toEpochMilli(), agentId));
    }

    @Override
    public void deactivateAgent(String agentId, boolean invalidateKeys, Instant at) {
        tx("deactivate agent", c -> {
            Optional<AgentRecord> agent = Sql.one(c, "SELECT * FROM agents WHERE id=?", Rows::agent, agentId);
            Sql.update(c, "UPDATE agents SET active=0, unenrolled_at=?, updated_at=? WHERE id=?",
                    at.toEpochMilli(), at.toEpochMilli(), agentId);
            if (invalidateKeys && agent.isPresent() && agent.get().accessApiKeyId() != null) {
                invalidate(c, List.of(agent.get().accessApiKeyId()), at);
            }
            return null;
        });
    }

    @Override
    public boolean setAuditUnenroll(String agentId, String reason, Instant at) {
        return tx("audit unenroll", c -> Sql.update(c, "UPDATE agents SET audit_unenroll_reason=?, updated_at=?"
                + " WHERE id=? AND audit_unenroll_reason IS NULL", reason, at.toEpochMilli(), agentId) == 1);
    }


    // ------------------------------------------------------------------ actions

    @Override
    public ActionRecord addAction(ActionRecord action) {
        return tx("add action " + action.id(), c -> {
            long seq;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO actions(id, type, agents, data, created_at,"
                    + " start_time, expiration) VALUES (?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, action.id());
                ps.setString(2, action.type());
                ps.setString(3, Rows.toJson(action.agentIds()));
                ps.setString(4, action.data());
                ps.setLong(5, action.createdAt().toEpochMilli());
                Sql.setInstant(ps, 6, action.startTime());
                Sql.setInstant(ps, 7, action.expiration());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    seq = keys.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO action_targets(agent_id, action_seq) VALUES (?,?)")) {
                for (String agentId : action.agentIds()) {
                    ps.setString(1, agentId);
                    ps.setLong(2, seq);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return action.withSeq(seq);
        });
    }

    @Override
    public Optional<ActionRecord> findAction(String actionId) {
        return read("read action", c -> Sql.one(c, "SELECT * FROM actions WHERE id=?", Rows::action, actionId));
    }

    @Override
    public List<ActionRecord> pendingActions(String agentId, long afterSeq, Instant now) {
        return read("read pending actions", c -> Sql.many(c, "SELECT a.* FROM action_targets t JOIN actions a"
                + " ON a.seq=t.action_seq WHERE t.agent_id=? AND t.action_seq>?"
                + " AND (a.expiration IS NULL OR a.expiration>?)"
                + " AND NOT EXISTS (SELECT 1 FROM action_results r WHERE r.action_id=a.id AND r.agent_id=?)"
                + " ORDER BY a.seq", Rows::action, agentId, afterSeq, now.toEpochMilli(), agentId));
    }

    @Override
    public void addActionResults(List<ActionResult> results) {
        if (!results.isEmpty()) {
            tx("add action results", actionResultsWork(results));
        }
    }

    @Override
    public CompletionStage<Void> addActionResultsAsync(List<ActionResult> results) {
        return results.isEmpty() ? CompletableFuture.completedFuture(null)
                : db.submit("add action results", actionResultsWork(results));
    }

    private static Transactions.Work<Void> actionResultsWork(List<ActionResult> results) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO action_results(action_id, agent_id,"
                    + " created_at, error, data) VALUES (?,?,?,?,?)")) {
                for (ActionResult r : results) {
                    ps.setString(1, r.actionId());
                    ps.setString(2, r.agentId());
                    ps.setLong(3, r.createdAt().toEpochMilli());
                    ps.setString(4, r.error());
                    ps.setString(5, r.data());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        };
    }

    @Override
    public List<ActionResult> actionResults(String actionId) {
        return read("read action results", c -> Sql.many(c, "SELECT * FROM action_results WHERE action_id=? ORDER BY"
                + " created_at", rs -> new ActionResult(rs.getString("action_id"), rs.getString("agent_id"),
                Sql.millis(rs.getLong("created_at")), rs.getString("error"), rs.getString("data")), actionId));
    }


    // ------------------------------------------------------------------ settings, feed, health

    @Override
    public Optional<String> setting(String key) {
        return read("read setting", c -> Sql.one(c, "SELECT value FROM settings WHERE key=?", rs -> rs.getString(1), key));
    }

    @Override
    public void putSetting(String key, String value) {
        tx("write setting", c -> Sql.update(c, "INSERT OR REPLACE INTO settings(key, value) VALUES (?,?)", key, value));
    }

    @Override
    public StoreCursor currentCursor() {
        return read("read cursor", c -> new StoreCursor(
                Sql.one(c, "SELECT COALESCE(MAX(seq),0) FROM policies", rs -> rs.getLong(1)).orElse(0L),
                Sql.one(c, "SELECT COALESCE(MAX(seq),0) FROM actions", rs -> rs.getLong(1)).orElse(0L)));
    }

    @Override
    public StoreChanges changesSince(StoreCursor cursor, int max) {
        long version = db.dataVersion(); // before the query: a commit after it changes the version seen next time
        synchronized (this) {
            if (version != -1 && version == feedVersion && cursor.equals(feedCursor)) {
                return new StoreChanges(List.of(), List.of(), cursor);
            }
        }
        StoreChanges changes = read("read changes", c -> {
            List<PolicyRevision> policies = Sql.many(c, "SELECT * FROM policies WHERE seq>? ORDER BY seq LIMIT ?",
                    Rows::policy, cursor.policySeq(), max);
            List<ActionRecord> actions = Sql.many(c, "SELECT * FROM actions WHERE seq>? ORDER BY seq LIMIT ?",
                    Rows::action, cursor.actionSeq(), max);
            long p = policies.isEmpty() ? cursor.policySeq() : policies.get(policies.size() - 1).seq();
            long a = actions.isEmpty() ? cursor.actionSeq() : actions.get(actions.size() - 1).seq();
            return new StoreChanges(policies, actions, new StoreCursor(p, a));
        });
        synchronized (this) {
            boolean drained = changes.policies().size() < max && changes.actions().size() < max;
            feedVersion = drained ? version : -1;
            feedCursor = changes.next();
        }
        return changes;
    }

    @Override
    public void ping() {
        read("ping", c -> Sql.one(c, "SELECT 1", rs -> rs.getInt(1)));
    }

    @Override
    public String describe() {
        return "sqlite " + db.file().toAbsolutePath();
    }

    @Override
    public void close() {
        db.close();
    }
}
