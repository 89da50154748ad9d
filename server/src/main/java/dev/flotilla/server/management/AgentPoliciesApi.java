package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.EnrollmentKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /api/fleet/agent_policies}: name, namespace, monitoring, which output / Fleet Server host it uses, and
 * its inputs. Saving one writes a new revision of the policy agents receive; {@code /{id}/full} shows that
 * document.
 */
final class AgentPoliciesApi {
    private static final List<String> MONITORING = List.of("logs", "metrics");
    private final ManagementState state;

    AgentPoliciesApi(ManagementState state) {
        this.state = state;
    }

    ApiResponse list(ApiRequest request) {
        var q = Paging.query(request.uri());
        List<ObjectNode> all = state.read(() -> {
            Map<String, Long> agents = state.store.listAgents().stream().filter(AgentRecord::active)
                    .collect(Collectors.groupingBy(AgentRecord::policyId, Collectors.counting()));
            return state.policyDefinitions().stream().map(d -> view(d, agents)).toList();
        });
        return ApiResponse.json(200, Paging.page(all, Paging.number(q, "page", 1, 1, 100_000),
                Paging.number(q, "perPage", 100, 1, 10_000)));
    }

    ApiResponse get(ApiRequest request) {
        String id = request.pathParam("id");
        return ApiResponse.json(200, Paging.item(state.read(() -> view(find(id), agentCounts()))));
    }

    /** The document agents of the policy receive (Kibana's "full agent policy"), output secrets masked. */
    ApiResponse full(ApiRequest request) {
        String id = request.pathParam("id");
        ObjectNode doc = state.read(() -> {
            ObjectNode composed = state.compose(find(id));
            ObjectNode out = Json.object().put("id", id);
            state.store.latestPolicy(id).ifPresent(r -> out.put("revision", r.revision()));
            composed.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
            out.path("outputs").forEach(o -> OutputRules.SECRETS.forEach(name -> {
                if (o.has(name)) {
                    ((ObjectNode) o).put(name, OutputRules.MASK);
                }
            }));
            return out;
        });
        return ApiResponse.json(200, Paging.item(doc));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.json();
        ObjectNode saved = state.change(() -> {
            String id = OutputRules.text(body, "id");
            if (id != null && state.policyDefinition(id).isPresent()) {
                throw ManagementError.conflict("id", "agent policy " + id + " exists; update it");
            }
            if (id != null && !id.matches("[A-Za-z0-9._-]{1,100}")) {
                throw ManagementError.invalid("id", "'" + id + "' may hold only letters, digits, '.', '_' and '-'");
            }
            ObjectNode doc = Json.object();
            doc.put("id", id != null ? id : UUID.randomUUID().toString());
            doc.put("namespace", "default");
            doc.put("description", "");
            ArrayNode mon = doc.putArray("monitoring_enabled");
            MONITORING.forEach(mon::add);
            doc.putArray("inputs");
            ObjectNode def = apply(doc, body);
            state.setDeleted(def.path("id").asText(), false);
            state.agentPolicies.put(def);
            return def;
        });
        return ApiResponse.json(200, Paging.item(state.read(() -> view(saved, agentCounts()))));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.json();
        String id = request.pathParam("id");
        ObjectNode saved = state.change(() -> {
            ObjectNode before = find(id);
            ObjectNode def = apply(before.deepCopy(), body);
            if (!def.equals(before)) {
                state.agentPolicies.put(def);
                state.touch(id);
            }
            return def;
        });
        return ApiResponse.json(200, Paging.item(state.read(() -> view(saved, agentCounts()))));
    }

    /** {@code DELETE /{id}} and Kibana's {@code POST /delete {"agentPolicyId"}}. */
    ApiResponse delete(ApiRequest request) {
        String id = request.pathParam("id") != null ? request.pathParam("id")
                : OutputRules.text(request.json(), "agentPolicyId");
        if (id == null) {
            throw ManagementError.invalid("agentPolicyId", "name the policy to delete");
        }
        state.change(() -> {
            find(id);
            long agents = state.store.listAgents().stream().filter(a -> a.active() && a.policyId().equals(id)).count();
            if (agents > 0) {
                throw ManagementError.conflict("id", "agent policy " + id + " has " + agents + " active agents;"
                        + " reassign or unenroll them first");
            }
            Instant now = Instant.now();
            for (EnrollmentKey k : state.store.listEnrollmentKeys()) {
                if (k.policyId().equals(id) && k.active()) {
                    state.store.revokeEnrollmentKey(k.id(), now);
                }
            }
            state.agentPolicies.remove(id);
            state.setDeleted(id, true);
            return id;
        });
        return ApiResponse.json(200, Json.object().put("id", id).put("name", id));
    }

    private ObjectNode find(String id) {
        return state.policyDefinition(id).orElseThrow(() -> ManagementError.notFound("no agent policy with id "
                + id + "; 'flotilla fleet policies list' shows the ids"));
    }

    private Map<String, Long> agentCounts() {
        return state.store.listAgents().stream().filter(AgentRecord::active)
                .collect(Collectors.groupingBy(AgentRecord::policyId, Collectors.counting()));
    }

    private ObjectNode view(ObjectNode def, Map<String, Long> agents) {
        ObjectNode v = def.deepCopy();
        String id = def.path("id").asText();
        state.store.latestPolicy(id).ifPresent(r -> {
            v.put("revision", r.revision());
            v.put("updated_at", Json.time(r.createdAt()));
        });
        v.put("agents", agents.getOrDefault(id, 0L));
        return v;
    }

    private ObjectNode apply(ObjectNode doc, JsonNode body) {
        if (body.has("name")) {
            doc.put("name", body.get("name").asText("").trim());
        }
        String name = doc.path("name").asText("");
        if (name.isBlank()) {
            throw ManagementError.invalid("name", "an agent policy needs a name");
        }
        String id = doc.path("id").asText();
        for (ObjectNode other : state.policyDefinitions()) {
            if (!other.path("id").asText().equals(id) && other.path("name").asText().equals(name)) {
                throw ManagementError.conflict("name", "agent policy " + other.path("id").asText()
                        + " already has the name '" + name + "'");
            }
        }
        if (body.has("namespace")) {
            String ns = body.get("namespace").asText("");
            if (!ns.matches("[a-z0-9_]{1,100}")) {
                throw ManagementError.invalid("namespace", "'" + ns + "' must be lower-case letters, digits and"
                        + " '_' (no '-', spaces or upper case), e.g. \"default\"");
            }
            doc.put("namespace", ns);
        }
        if (body.has("description")) {
            doc.put("description", body.get("description").asText(""));
        }
        if (body.has("monitoring_enabled")) {
            JsonNode m = body.get("monitoring_enabled");
            if (!m.isArray()) {
                throw ManagementError.invalid("monitoring_enabled", "must be a list of \"logs\" and \"metrics\"");
            }
            for (JsonNode v : m) {
                if (!MONITORING.contains(v.asText())) {
                    throw ManagementError.invalid("monitoring_enabled", "'" + v.asText() + "' is not \"logs\" or"
                            + " \"metrics\"");
                }
            }
            doc.set("monitoring_enabled", m);
        }
        reference(doc, body, "data_output_id", id2 -> state.outputs.find(id2).isPresent(), "output");
        reference(doc, body, "monitoring_output_id", id2 -> state.outputs.find(id2).isPresent(), "output");
        reference(doc, body, "fleet_server_host_id", id2 -> state.hosts.find(id2).isPresent(), "Fleet Server host");
        if (body.has("inputs")) {
            JsonNode inputs = body.get("inputs");
            if (!inputs.isArray()) {
                throw ManagementError.invalid("inputs", "must be a list of inputs ({id, type, streams: [...]})");
            }
            for (int i = 0; i < inputs.size(); i++) {
                if (!inputs.get(i).isObject() || !inputs.get(i).path("type").isTextual()) {
                    throw ManagementError.invalid("inputs[" + i + "]", "each input is an object with a type");
                }
            }
            doc.set("inputs", inputs);
        }
        return doc;
    }

    private static void reference(ObjectNode doc, JsonNode body, String field, Function<String, Boolean> exists,
                                  String what) {
        if (!body.has(field)) {
            return;
        }
        JsonNode v = body.get(field);
        if (v.isNull() || v.asText().isEmpty()) {
            doc.remove(field);
        } else if (!exists.apply(v.asText())) {
            throw ManagementError.invalid(field, "no " + what + " with id " + v.asText());
        } else {
            doc.put(field, v.asText());
        }
    }
}
