package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import java.util.List;
import java.util.Optional;

/**
 * Builds the policy document agents receive from an agent policy and the settings: the data and monitoring
 * outputs ({@code outputs.default} for the default output, else the output id; Advanced YAML merged in), the
 * Fleet Server host's URLs and ssl as {@code fleet}, monitoring as {@code agent.monitoring}, and the inputs
 * (each sent to the data output unless it names one). With no Fleet Server host configured, the policy keeps the
 * {@code fleet} section it had.
 */
final class PolicyComposer {

    ObjectNode compose(ObjectNode def, List<ObjectNode> hosts, List<ObjectNode> outputs, JsonNode previous) {
        ObjectNode doc = Json.object();
        ObjectNode dataOut = output(def, "data_output_id", outputs, "is_default");
        ObjectNode monOut = output(def, "monitoring_output_id", outputs, "is_default_monitoring");
        ObjectNode outs = doc.putObject("outputs");
        String dataKey = null;
        String monKey = null;
        if (dataOut != null) {
            dataKey = key(dataOut);
            outs.set(dataKey, OutputRules.forPolicy(dataOut));
        }
        if (monOut != null) {
            monKey = key(monOut);
            if (!outs.has(monKey)) {
                outs.set(monKey, OutputRules.forPolicy(monOut));
            }
        }
        doc.set("fleet", fleet(def, hosts, previous));
        ObjectNode agent = def.get("agent_settings") instanceof ObjectNode a ? a.deepCopy() : Json.object();
        ObjectNode monitoring = agent.putObject("monitoring");
        List<String> enabled = Json.MAPPER.convertValue(def.path("monitoring_enabled"),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
        monitoring.put("enabled", !enabled.isEmpty());
        if (monKey != null) {
            monitoring.put("use_output", monKey);
        }
        monitoring.put("namespace", def.path("namespace").asText("default"));
        monitoring.put("logs", enabled.contains("logs"));
        monitoring.put("metrics", enabled.contains("metrics"));
        doc.set("agent", agent);
        ArrayNode inputs = doc.putArray("inputs");
        for (JsonNode in : def.path("inputs")) {
            ObjectNode input = in.deepCopy();
            if (!input.has("use_output") && dataKey != null) {
                input.put("use_output", dataKey);
            }
            ObjectNode ds = input.get("data_stream") instanceof ObjectNode d ? d : input.putObject("data_stream");
            if (!ds.has("namespace")) {
                ds.put("namespace", def.path("namespace").asText("default"));
            }
            inputs.add(input);
        }
        ObjectNode permissions = doc.putObject("output_permissions");
        outs.fieldNames().forEachRemaining(k -> permissions.putObject(k));
        return doc;
    }

    static String key(ObjectNode output) {
        return output.path("is_default").asBoolean() ? "default" : output.path("id").asText();
    }

    private static ObjectNode output(ObjectNode def, String idField, List<ObjectNode> outputs, String defaultFlag) {
        String id = def.path(idField).asText(null);
        if (id != null) {
            Optional<ObjectNode> o = outputs.stream().filter(x -> id.equals(x.path("id").asText())).findFirst();
            if (o.isPresent()) {
                return o.get();
            }
        }
        return outputs.stream().filter(o -> o.path(defaultFlag).asBoolean()).findFirst()
                .or(() -> outputs.stream().filter(o -> o.path("is_default").asBoolean()).findFirst())
                .or(() -> outputs.stream().findFirst())
                .orElse(null);
    }

    private static JsonNode fleet(ObjectNode def, List<ObjectNode> hosts, JsonNode previous) {
        String id = def.path("fleet_server_host_id").asText(null);
        Optional<ObjectNode> host = hosts.stream()
                .filter(h -> id != null ? id.equals(h.path("id").asText()) : h.path("is_default").asBoolean())
                .findFirst();
        if (host.isEmpty()) {
            JsonNode kept = previous == null ? null : previous.get("fleet");
            return kept != null && kept.isObject() ? kept.deepCopy() : Json.object();
        }
        ObjectNode fleet = Json.object();
        fleet.set("hosts", host.get().get("host_urls").deepCopy());
        if (host.get().get("ssl") instanceof ObjectNode ssl && !ssl.isEmpty()) {
            fleet.set("ssl", ssl.deepCopy());
        }
        return fleet;
    }
}
