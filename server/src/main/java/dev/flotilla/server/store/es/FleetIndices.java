package dev.flotilla.server.store.es;

import java.io.StringReader;
import java.util.List;

/**
 * The indices the store keeps its state in, and how they are created. Names follow Fleet's ({@code .fleet-agents},
 * {@code .fleet-policies}, ...) and stay inside the patterns the {@code elastic/fleet-server} service account may
 * read, write and create in 8.19 ({@code .fleet-agents*}, {@code .fleet-policies*}, {@code .fleet-actions*},
 * {@code .fleet-enrollment-api-keys*}); Flotilla's own API keys and settings therefore live in
 * {@code .fleet-agents-api-keys} and {@code .fleet-policies-settings}. One shard each, so that {@code _seq_no}
 * orders every write of an index (the change feed's cursor); JSON blobs are kept in {@code _source} unindexed.
 */
final class FleetIndices {

    static final String AGENTS = ".fleet-agents";
    static final String API_KEYS = ".fleet-agents-api-keys";
    static final String POLICIES = ".fleet-policies";
    static final String SETTINGS = ".fleet-policies-settings";
    static final String ENROLLMENT_KEYS = ".fleet-enrollment-api-keys";
    static final String ACTIONS = ".fleet-actions";
    static final String ACTION_RESULTS = ".fleet-actions-results";

    private static final String SETTINGS_JSON =
            "\"settings\":{\"index\":{\"number_of_shards\":1,\"auto_expand_replicas\":\"0-1\",\"hidden\":true}}";

    record Index(String name, String properties) {
        String body() {
            return "{" + SETTINGS_JSON + ",\"mappings\":{\"dynamic\":false,\"properties\":{" + properties + "}}}";
        }
    }

    static final List<Index> ALL = List.of(
            new Index(AGENTS, kw("policy_id", "type", "access_api_key_id", "enrollment_id", "tags",
                    "last_checkin_status", "audit_unenrolled_reason") + "," + bool("active") + ","
                    + dates("enrolled_at", "last_checkin", "unenrolled_at", "updated_at") + ","
                    + longs("policy_revision_idx", "action_seq_no")),
            new Index(API_KEYS, kw("kind", "owner_id") + "," + bool("active") + "," + dates("created_at",
                    "invalidated_at")),
            new Index(POLICIES, kw("policy_id") + "," + longs("revision_idx", "coordinator_idx") + ","
                    + dates("@timestamp")),
            new Index(SETTINGS, dates("updated_at")),
            new Index(ENROLLMENT_KEYS, kw("api_key_id", "name", "policy_id") + "," + bool("active") + ","
                    + dates("created_at", "expire_at")),
            new Index(ACTIONS, kw("action_id", "type", "agents") + "," + dates("@timestamp", "start_time",
                    "expiration")),
            new Index(ACTION_RESULTS, kw("action_id", "agent_id") + "," + dates("@timestamp")));

    private FleetIndices() {
    }

    /**
     * Creates the indices that do not exist yet (another server may create them at the same moment). The service
     * account may create these indices but not look at their metadata, so existence shows as "already exists".
     */
    static void ensure(EsConnection es) {
        for (Index index : ALL) {
            try {
                es.call("create index " + index.name(), c -> c.indices().create(r -> r.index(index.name())
                        .withJson(new StringReader(index.body()))));
            } catch (ElasticsearchStoreException e) {
                if (e.problem() != ElasticsearchProblem.CLUSTER_ERROR || !alreadyExists(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean alreadyExists(ElasticsearchStoreException e) {
        return e.getCause() instanceof co.elastic.clients.elasticsearch._types.ElasticsearchException ee
                && "resource_already_exists_exception".equals(ee.error().type());
    }

    private static String kw(String... names) {
        return fields("{\"type\":\"keyword\"}", names);
    }

    private static String bool(String... names) {
        return fields("{\"type\":\"boolean\"}", names);
    }

    private static String dates(String... names) {
        return fields("{\"type\":\"date\"}", names);
    }

    private static String longs(String... names) {
        return fields("{\"type\":\"long\"}", names);
    }

    private static String fields(String mapping, String... names) {
        StringBuilder out = new StringBuilder();
        for (String n : names) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append('"').append(n).append("\":").append(mapping);
        }
        return out.toString();
    }
}
