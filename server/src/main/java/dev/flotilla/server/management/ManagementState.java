package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.PolicyRevision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management data (Fleet Server hosts, outputs, agent policies) and the one rule tying it to what agents
 * receive: after every change each policy is composed again, and a policy whose document changed gets a new
 * revision through {@link Policies#put} (which wakes its agents' long polls). Policies written by others (a
 * bootstrap, the Java API) are adopted as they are; the first look at an empty store seeds the default output
 * and Fleet Server host from them. Writes are serialized by this object's lock.
 */
final class ManagementState {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementState.class);
    static final String HOSTS = "management.fleet_server_hosts";
    static final String OUTPUTS = "management.outputs";
    static final String POLICIES = "management.agent_policies";
    static final String DELETED = "management.deleted_agent_policies";
    /** Every setting a change may write, kept from before it so that a failed change can be undone. */
    private static final List<String> CHANGED_SETTINGS = List.of(HOSTS, OUTPUTS, POLICIES, DELETED);

    final FleetStore store;
    final SecretBox box;
    final Documents hosts;
    final Documents outputs;
    final Documents agentPolicies;
    private final Policies policies;
    private final PolicyComposer composer;
    private final Set<String> touched = new LinkedHashSet<>();

    ManagementState(FleetStore store, Policies policies, SecretBox box) {
        this.store = store;
        this.policies = policies;
        this.box = box;
        this.hosts = new Documents(store, HOSTS);
        this.outputs = new Documents(store, OUTPUTS);
        this.agentPolicies = new Documents(store, POLICIES);
        this.composer = new PolicyComposer();
    }

    /**
     * Runs a change, then writes a new revision of every policy whose composed document changed. A change that
     * fails half-way (an invalid setting found while composing, a store error, a class that cannot load) puts the
     * settings documents back as they were, so that no policy is left defined without a revision agents can get.
     */
    synchronized <T> T change(Supplier<T> change) {
        ensureDefaults();
        touched.clear();
        Map<String, Optional<String>> before = new LinkedHashMap<>();
        for (String key : CHANGED_SETTINGS) {
            before.put(key, store.setting(key));
        }
        try {
            T result = change.get();
            recompose();
            return result;
        } catch (RuntimeException | Error e) {
            restore(before, e);
            throw e;
        } finally {
            touched.clear();
        }
    }

    private void restore(Map<String, Optional<String>> before, Throwable failure) {
        before.forEach((key, value) -> {
            try {
                if (!store.setting(key).equals(value)) {
                    store.putSetting(key, value.orElse("[]"));
                    LOG.info("{} put back as it was before a change that failed ({})", key, failure.toString());
                }
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
                LOG.warn("{} could not be put back after a change that failed: {}", key, e.toString());
            }
        });
    }

    /** Inside {@link #change}: the policy's definition changed, so it gets a new revision even if agents see no difference. */
    void touch(String policyId) {
        touched.add(policyId);
    }

    /** Reads under the lock (after seeding defaults once). */
    synchronized <T> T read(Supplier<T> read) {
        ensureDefaults();
        return read.get();
    }

    /** Agent policies: those created here plus those found in the store (adopted), minus deleted ones. */
    synchronized List<ObjectNode> policyDefinitions() {
        List<ObjectNode> defs = agentPolicies.all();
        Set<String> known = new LinkedHashSet<>();
        defs.forEach(d -> known.add(d.path("id").asText()));
        Set<String> deleted = deleted();
        for (PolicyRevision r : store.listPolicies()) {
            if (!known.contains(r.policyId()) && !deleted.contains(r.policyId())) {
                defs.add(adopt(r));
            }
        }
        return defs;
    }

    synchronized Optional<ObjectNode> policyDefinition(String id) {
        return policyDefinitions().stream().filter(d -> id.equals(d.path("id").asText())).findFirst();
    }

    /** The document agents of this policy receive now, composed from the current settings. */
    synchronized ObjectNode compose(ObjectNode def) {
        JsonNode previous = store.latestPolicy(def.path("id").asText()).map(r -> Json.parseStored(r.data()))
                .orElse(null);
        return composer.compose(def, hosts.all(), outputs.all(), previous);
    }

    Set<String> deleted() {
        Set<String> out = new LinkedHashSet<>();
        store.setting(DELETED).map(Json::parseStored).ifPresent(a -> a.forEach(n -> out.add(n.asText())));
        return out;
    }

    void setDeleted(String id, boolean deletedNow) {
        Set<String> d = deleted();
        boolean changed = deletedNow ? d.add(id) : d.remove(id);
        if (changed) {
            ArrayNode arr = Json.array();
            d.forEach(arr::add);
            store.putSetting(DELETED, Json.text(arr));
        }
    }

    private void recompose() {
        for (ObjectNode def : policyDefinitions()) {
            String id = def.path("id").asText();
            Optional<PolicyRevision> latest = store.latestPolicy(id);
            JsonNode previous = latest.map(r -> Json.parseStored(r.data())).orElse(null);
            ObjectNode doc = composer.compose(def, hosts.all(), outputs.all(), previous);
            if (previous == null || !previous.equals(doc) || touched.contains(id)) {
                PolicyRevision r = policies.put(id, doc);
                LOG.info("policy {} recomposed from the Fleet settings: revision {}", id, r.revision());
            }
        }
        hosts.all().stream().filter(h -> h.path("is_default").asBoolean()).findFirst().ifPresent(h -> {
            String urls = Json.text(h.get("host_urls"));
            if (!store.setting(PolicyChangeBuilder.FLEET_HOSTS_SETTING).map(urls::equals).orElse(false)) {
                store.putSetting(PolicyChangeBuilder.FLEET_HOSTS_SETTING, urls);
            }
        });
    }

    /** Seeds the default output and Fleet Server host the first time, from what the store already has. */
    private void ensureDefaults() {
        if (!outputs.exists()) {
            outputs.saveAll(List.of(seedOutput()));
        }
        if (!hosts.exists()) {
            List<ObjectNode> seeded = new ArrayList<>();
            seedFleetHosts().ifPresent(urls -> {
                ObjectNode h = Json.object();
                h.put("id", "fleet-default-fleet-server-host");
                h.put("name", "default");
                h.set("host_urls", urls);
                h.put("is_default", true);
                seeded.add(h);
            });
            hosts.saveAll(seeded);
        }
    }

    private ObjectNode seedOutput() {
        ObjectNode o = Json.object();
        o.put("id", "fleet-default-output");
        o.put("name", "default");
        o.put("type", "elasticsearch");
        o.put("is_default", true);
        o.put("is_default_monitoring", true);
        ObjectNode found = store.listPolicies().stream()
                .map(r -> Json.parseStored(r.data()).path("outputs").path("default"))
                .filter(JsonNode::isObject).map(n -> (ObjectNode) n.deepCopy()).findFirst().orElse(null);
        if (found == null || !found.path("hosts").isArray()) {
            o.putArray("hosts").add("http://localhost:9200");
            return o;
        }
        o.set("hosts", found.remove("hosts"));
        found.remove("type");
        if (!found.isEmpty()) {
            try {
                o.put("config_yaml", new YAMLMapper().writeValueAsString(found).replaceFirst("^---\\s*\\n", ""));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                LOG.warn("cannot carry the existing default output's settings over: {}", e.getMessage());
            }
        }
        return o;
    }

    private Optional<JsonNode> seedFleetHosts() {
        Optional<JsonNode> setting = store.setting(PolicyChangeBuilder.FLEET_HOSTS_SETTING).map(Json::parseStored)
                .filter(n -> n.isArray() && !n.isEmpty());
        if (setting.isPresent()) {
            return setting;
        }
        return store.listPolicies().stream().map(r -> Json.parseStored(r.data()).path("fleet").path("hosts"))
                .filter(n -> n.isArray() && !n.isEmpty()).map(n -> (JsonNode) n.deepCopy()).findFirst();
    }

    /** An agent policy definition for a policy someone else wrote, keeping its inputs and agent settings. */
    private static ObjectNode adopt(PolicyRevision r) {
        JsonNode data = Json.parseStored(r.data());
        ObjectNode def = Json.object();
        def.put("id", r.policyId());
        def.put("name", r.policyId());
        def.put("namespace", "default");
        def.put("description", "");
        ArrayNode monitoring = def.putArray("monitoring_enabled");
        JsonNode m = data.path("agent").path("monitoring");
        if (m.path("enabled").asBoolean(false)) {
            if (m.path("logs").asBoolean(false)) {
                monitoring.add("logs");
            }
            if (m.path("metrics").asBoolean(false)) {
                monitoring.add("metrics");
            }
        }
        def.set("inputs", data.path("inputs").isArray() ? data.get("inputs").deepCopy() : Json.array());
        if (data.path("agent") instanceof ObjectNode agent) {
            ObjectNode rest = agent.deepCopy();
            rest.remove("monitoring");
            if (!rest.isEmpty()) {
                def.set("agent_settings", rest);
            }
        }
        return def;
    }
}
