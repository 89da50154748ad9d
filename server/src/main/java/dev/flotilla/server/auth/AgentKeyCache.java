package dev.flotilla.server.auth;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents' access keys already checked against the store, so a check-in reads the store once (the agent) instead of
 * twice (key, then agent). Only the key id and the hash of its secret are kept, for at most {@code ttl}.
 *
 * <p>Safe to skip the key read because every way an agent's key stops being valid also changes the agent record,
 * which {@link Authenticator#agent} always reads fresh: unenrolling (by Fleet, by the agent's own audit/unenroll,
 * or by a re-enrollment that replaces it) deactivates the agent and invalidates its keys in one write, and a new
 * access key changes the agent's {@code access_api_key_id}. Enrollment tokens are never cached: a revoked token
 * must stop working at once. Elastic's Fleet Server caches API-key checks for longer (15 minutes by default).
 */
final class AgentKeyCache {
    /** {@code -Dflotilla.server.agent-key-cache-seconds=N}; 0 turns the cache off. */
    static final String TTL_PROPERTY = "flotilla.server.agent-key-cache-seconds";
    private static final int MAX_ENTRIES = 500_000;

    private record Entry(byte[] secretHash, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    AgentKeyCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    static AgentKeyCache fromSystemProperty() {
        return new AgentKeyCache(Duration.ofSeconds(Long.getLong(TTL_PROPERTY, 300)));
    }

    /** True when this id was verified with this secret hash within the ttl. */
    boolean matches(String keyId, byte[] presentedHash) {
        if (ttlNanos <= 0) {
            return false;
        }
        Entry e = entries.get(keyId);
        if (e == null) {
            return false;
        }
        if (System.nanoTime() - e.expiresAtNanos > 0) {
            entries.remove(keyId, e);
            return false;
        }
        return MessageDigest.isEqual(e.secretHash, presentedHash);
    }

    void remember(String keyId, byte[] verifiedHash) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(keyId, new Entry(verifiedHash.clone(), System.nanoTime() + ttlNanos));
    }

    int size() {
        return entries.size();
    }
}
