package dev.flotilla.server.store.es;

import co.elastic.clients.elasticsearch._types.Level;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.stats.ShardStats;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.store.ActionRecord;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.StoreChanges;
import dev.flotilla.server.store.StoreCursor;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What other Fleet Servers (or this one) wrote to the policy and action indices since a cursor. The cursor is the
 * index's {@code _seq_no} (+1): every write to a one-shard index gets the next one. A write is only read once the
 * shard's global checkpoint has passed it (every operation up to the checkpoint has completed) and the index has
 * been refreshed, so a slow concurrent write is never skipped by a faster later one.
 */
final class ChangeFeed {

    private final EsConnection es;
    private final EsDocuments docs;

    ChangeFeed(EsConnection es, EsDocuments docs) {
        this.es = es;
        this.docs = docs;
    }

    StoreCursor current() {
        return new StoreCursor(checkpoint(FleetIndices.POLICIES) + 1, checkpoint(FleetIndices.ACTIONS) + 1);
    }

    StoreChanges since(StoreCursor cursor, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
        }
        Page<PolicyRevision> policies = read(FleetIndices.POLICIES, cursor.policySeq(), max, docs::policy);
        Page<ActionRecord> actions = read(FleetIndices.ACTIONS, cursor.actionSeq(), max, docs::action);
        return new StoreChanges(policies.items, actions.items, new StoreCursor(policies.next, actions.next));
    }

    private record Page<T>(List<T> items, long next) {
    }

    /** Documents with seq above {@code after} (i.e. {@code _seq_no >= after}) up to the global checkpoint. */
    private <T> Page<T> read(String index, long after, int max, BiFunction<ObjectNode, Long, T> convert) {
        long checkpoint = checkpoint(index);
        if (checkpoint < after) {
            return new Page<>(List.of(), after);
        }
        es.call("refresh " + index, c -> c.indices().refresh(r -> r.index(index)));
        List<Hit<ObjectNode>> hits = es.call("read changes of " + index, c -> c.search(s -> s.index(index)
                .seqNoPrimaryTerm(true).size(max)
                .query(q -> q.range(r -> r.number(n -> n.field("_seq_no").gte((double) after)
                        .lte((double) checkpoint))))
                .sort(o -> o.field(f -> f.field("_seq_no").order(SortOrder.Asc))), ObjectNode.class)).hits().hits();
        List<T> items = hits.stream().map(h -> convert.apply(h.source(), h.seqNo())).toList();
        long next = hits.size() == max ? hits.get(hits.size() - 1).seqNo() + 1 : checkpoint + 1;
        return new Page<>(items, next);
    }

    /** The global checkpoint of the index's shard; -1 when it has no writes or does not exist. */
    long checkpoint(String index) {
        var stats = es.call("read the checkpoint of " + index, c -> c.indices().stats(s -> s.index(index)
                .level(Level.Shards)));
        var indexStats = stats.indices().get(index);
        if (indexStats == null || indexStats.shards() == null) {
            return -1;
        }
        long checkpoint = -1;
        for (List<ShardStats> copies : indexStats.shards().values()) {
            for (ShardStats copy : copies) {
                if (copy.routing() != null && Boolean.TRUE.equals(copy.routing().primary()) && copy.seqNo() != null) {
                    checkpoint = Math.max(checkpoint, copy.seqNo().globalCheckpoint());
                }
            }
        }
        return checkpoint;
    }
}
