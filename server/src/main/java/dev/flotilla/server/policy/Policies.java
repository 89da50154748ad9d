package dev.flotilla.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and edits policies: each write is a new revision, and waiting check-ins of the policy's agents wake
 * up. The document holds {@code outputs}, {@code fleet}, {@code agent}, {@code inputs} and
 * {@code output_permissions}; {@code id} and {@code revision} are added when it is sent.
 */
public final class Policies {
    private static final Logger LOG = LoggerFactory.getLogger(Policies.class);
    private final FleetStore store;
    private final Runnable changed;

    public Policies(FleetStore store, Runnable changed) {
        this.store = store;
        this.changed = changed;
    }

    /** Writes a new revision of the policy (revision 1 when it is new). */
    public PolicyRevision put(String policyId, JsonNode document) {
        if (policyId == null || policyId.isBlank()) {
            throw new IllegalArgumentException("policyId: empty (expected: a policy id such as 'default-policy')");
        }
        if (document == null || !document.isObject()) {
            throw new IllegalArgumentException("policy " + policyId + ": the document must be a JSON object");
        }
        ObjectNode doc = ((ObjectNode) document).deepCopy();
        doc.remove("id");
        doc.remove("revision");
        PolicyRevision revision = store.putPolicy(policyId, Json.text(doc));
        LOG.info("policy {} revision {} written", policyId, revision.revision());
        changed.run();
        return revision;
    }

    public Optional<PolicyRevision> latest(String policyId) {
        return store.latestPolicy(policyId);
    }

    /** The minimal policy of a new deployment: one Elasticsearch output, the given Fleet hosts, no inputs. */
    public static ObjectNode starter(Iterable<String> fleetHosts, String esHost) {
        ObjectNode doc = Json.object();
        ObjectNode output = doc.putObject("outputs").putObject("default");
        output.put("type", "elasticsearch");
        output.putArray("hosts").add(esHost);
        ObjectNode fleet = doc.putObject("fleet");
        var hosts = fleet.putArray("hosts");
        fleetHosts.forEach(hosts::add);
        ObjectNode monitoring = doc.putObject("agent").putObject("monitoring");
        monitoring.put("enabled", true).put("use_output", "default").put("logs", true).put("metrics", true);
        doc.putArray("inputs");
        doc.putObject("output_permissions");
        return doc;
    }
}
