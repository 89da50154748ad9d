package dev.flotilla.server.store.es;

import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.get.GetResult;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.CheckinUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of check-ins: one multi-get, one conditional bulk write ({@code if_seq_no}); agents whose
 * document changed in between (another server, an ack) are read and written again. Unknown agents are skipped.
 * Check-ins need no refresh: agents are read by id, which is real-time.
 */
final class CheckinWriter {

    private static final int ROUNDS = 20;

    private final EsConnection es;
    private final IndexAccess access;
    private final EsDocuments docs;

    CheckinWriter(EsConnection es, IndexAccess access, EsDocuments docs) {
        this.es = es;
        this.access = access;
        this.docs = docs;
    }

    void write(List<CheckinUpdate> updates) {
        Map<String, CheckinUpdate> pending = new LinkedHashMap<>();
        for (CheckinUpdate u : updates) {
            pending.merge(u.agentId(), u, (a, b) -> b.at().isAfter(a.at()) ? b : a);
        }
        for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
            pending = writeOnce(pending);
        }
        if (!pending.isEmpty()) {
            throw new ElasticsearchStoreException(ElasticsearchProblem.CLUSTER_ERROR, null, es.describe()
                    + ": check-ins of " + pending.keySet() + " kept conflicting with other writers", null);
        }
    }

    /** Returns the updates that met a conflict. */
    private Map<String, CheckinUpdate> writeOnce(Map<String, CheckinUpdate> updates) {
        List<String> ids = new ArrayList<>(updates.keySet());
        record Write(String id, long seqNo, long term, ObjectNode doc) {
        }
        List<Write> writes = new ArrayList<>();
        for (GetResult<ObjectNode> got : access.getAll(FleetIndices.AGENTS, ids, "read " + ids.size() + " agents")) {
            AgentRecord agent = docs.agent(got.id(), got.source());
            writes.add(new Write(got.id(), got.seqNo(), got.primaryTerm(), docs.agent(apply(agent,
                    updates.get(got.id())))));
        }
        if (writes.isEmpty()) {
            return Map.of();
        }
        var response = es.call("write " + writes.size() + " check-ins", c -> c.bulk(b -> {
            b.index(FleetIndices.AGENTS);
            for (Write w : writes) {
                b.operations(o -> o.index(i -> i.id(w.id).ifSeqNo(w.seqNo).ifPrimaryTerm(w.term).document(w.doc)));
            }
            return b;
        }));
        Map<String, CheckinUpdate> conflicts = new LinkedHashMap<>();
        for (BulkResponseItem item : response.items()) {
            if (item.error() == null) {
                continue;
            }
            if (item.status() == 409) {
                conflicts.put(item.id(), updates.get(item.id()));
            } else {
                throw new ElasticsearchStoreException(ElasticsearchProblem.CLUSTER_ERROR, null, es.describe()
                        + " refused the check-in of agent " + item.id() + ": " + item.error().type() + ": "
                        + item.error().reason(), null);
            }
        }
        return conflicts;
    }

    private static AgentRecord apply(AgentRecord a, CheckinUpdate u) {
        AgentRecord.Builder b = a.toBuilder().lastCheckin(u.at()).updatedAt(u.at());
        if (u.status() != null) {
            b.lastCheckinStatus(u.status());
        }
        if (u.message() != null) {
            b.lastCheckinMessage(u.message());
        }
        if (u.localMetadata() != null) {
            b.localMetadata(u.localMetadata());
        }
        if (u.components() != null) {
            b.components(u.components());
        }
        return b.build();
    }
}
