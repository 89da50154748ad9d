package dev.flotilla.server.store.sqlite;

import java.util.List;

/** The SQLite tables of the Fleet Server store. Times are epoch milliseconds; JSON parts are text. */
final class Schema {
    static final int VERSION = 1;

    static final List<String> STATEMENTS = List.of(
            "CREATE TABLE IF NOT EXISTS policies (seq INTEGER PRIMARY KEY AUTOINCREMENT, policy_id TEXT NOT NULL,"
                    + " revision INTEGER NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL,"
                    + " UNIQUE(policy_id, revision))",
            "CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, secret_hash BLOB NOT NULL, kind TEXT NOT NULL,"
                    + " owner_id TEXT, active INTEGER NOT NULL, created_at INTEGER NOT NULL, invalidated_at INTEGER)",
            "CREATE TABLE IF NOT EXISTS enrollment_keys (id TEXT PRIMARY KEY, api_key_id TEXT NOT NULL UNIQUE,"
                    + " name TEXT NOT NULL, policy_id TEXT NOT NULL, active INTEGER NOT NULL,"
                    + " created_at INTEGER NOT NULL, expire_at INTEGER)",
            "CREATE TABLE IF NOT EXISTS agents (id TEXT PRIMARY KEY, active INTEGER NOT NULL, policy_id TEXT NOT NULL,"
                    + " type TEXT, enrolled_at INTEGER, access_api_key_id TEXT, replace_token_hash TEXT,"
                    + " enrollment_id TEXT, local_metadata TEXT, tags TEXT, policy_revision INTEGER NOT NULL,"
                    + " action_seq_no INTEGER NOT NULL, last_checkin INTEGER, last_checkin_status TEXT,"
                    + " last_checkin_message TEXT, components TEXT, unenrolled_at INTEGER,"
                    + " audit_unenroll_reason TEXT, updated_at INTEGER)",
            "CREATE INDEX IF NOT EXISTS agents_enrollment_id ON agents(enrollment_id)",
            // covers findAgentCore (every check-in and ack): one small b-tree row instead of the agent's whole row
            "CREATE INDEX IF NOT EXISTS agents_core ON agents(id, active, policy_id, access_api_key_id,"
                    + " policy_revision, action_seq_no)",
            "CREATE TABLE IF NOT EXISTS actions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
                    + " type TEXT NOT NULL, agents TEXT NOT NULL, data TEXT, created_at INTEGER NOT NULL,"
                    + " start_time INTEGER, expiration INTEGER)",
            "CREATE TABLE IF NOT EXISTS action_targets (agent_id TEXT NOT NULL, action_seq INTEGER NOT NULL,"
                    + " PRIMARY KEY(agent_id, action_seq))",
            "CREATE TABLE IF NOT EXISTS action_results (action_id TEXT NOT NULL, agent_id TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL, error TEXT, data TEXT, PRIMARY KEY(action_id, agent_id))",
            "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)");

    private Schema() {
    }
}
