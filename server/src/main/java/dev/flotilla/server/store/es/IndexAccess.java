package dev.flotilla.server.store.es;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reading (one or many by id), searching and conditionally changing single documents of the store's indices. */
final class IndexAccess {

    static final int MAX_LIST = 10_000;
    static final int CONFLICT_RETRIES = 20;

    private final EsConnection es;

    IndexAccess(EsConnection es) {
        this.es = es;
    }

    Optional<GetResponse<ObjectNode>> get(String index, String id, String what) {
        GetResponse<ObjectNode> g = es.call(what + " " + id, c -> c.get(r -> r.index(index).id(id), ObjectNode.class));
        return g.found() && g.source() != null ? Optional.of(g) : Optional.empty();
    }

    /**
     * The documents found among {@code ids}, read in one {@code _mget} (real-time, as {@link #get} is); ids with no
     * document, and per-item errors such as an index not created yet, are left out.
     */
    List<GetResult<ObjectNode>> getAll(String index, List<String> ids, String what) {
        MgetResponse<ObjectNode> got = es.call(what, c -> c.mget(m -> m.index(index).ids(ids), ObjectNode.class));
        return got.docs().stream().filter(MultiGetResponseItem::isResult).map(MultiGetResponseItem::result)
                .filter(r -> r.found() && r.source() != null).toList();
    }

    List<Hit<ObjectNode>> search(String index, Query query, int size, String sortField, String what) {
        return es.call(what, c -> c.search(s -> {
            s.index(index).size(size).query(query == null ? Query.of(q -> q.matchAll(m -> m)) : query);
            if (sortField != null) {
                s.sort(o -> o.field(f -> f.field(sortField).order(SortOrder.Asc)));
            }
            return s;
        }, ObjectNode.class)).hits().hits();
    }

    /**
     * Changes one document conditionally: read it with its seq_no/primary_term, apply {@code change} (null: leave
     * it), write with {@code if_seq_no}/{@code if_primary_term}; on a conflict read again and retry.
     */
    void update(String index, String id, String what, Function<ObjectNode, ObjectNode> change) {
        for (int attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
            Optional<GetResponse<ObjectNode>> current = get(index, id, what);
            if (current.isEmpty()) {
                return;
            }
            ObjectNode changed = change.apply(current.get().source().deepCopy());
            if (changed == null) {
                return;
            }
            long seqNo = current.get().seqNo();
            long term = current.get().primaryTerm();
            try {
                es.call(what + " " + id, c -> c.index(i -> i.index(index).id(id).ifSeqNo(seqNo).ifPrimaryTerm(term)
                        .refresh(refreshAfterUpdate(index)).document(changed)));
                return;
            } catch (EsConnection.Conflict conflict) {
                // someone wrote in between: read again
            }
        }
        throw conflictsExhausted(what + " " + id);
    }

    ElasticsearchStoreException conflictsExhausted(String what) {
        return new ElasticsearchStoreException(ElasticsearchProblem.CLUSTER_ERROR, null, es.describe() + ": " + what
                + " kept conflicting with other writers after " + CONFLICT_RETRIES + " attempts", null);
    }

    /** Agents are read by id (real-time); keys and enrollment keys are also searched, so refresh those. */
    private static Refresh refreshAfterUpdate(String index) {
        return FleetIndices.AGENTS.equals(index) ? Refresh.False : Refresh.True;
    }

    static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }
}
