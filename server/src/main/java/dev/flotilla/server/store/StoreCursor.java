package dev.flotilla.server.store;

/**
 * A position in the store's change feed: the last policy revision and the last action seen. Implementations map
 * these to their own sequence numbers (SQLite row ids, Elasticsearch {@code _seq_no}).
 */
public record StoreCursor(long policySeq, long actionSeq) {
    public static final StoreCursor START = new StoreCursor(0, 0);
}
