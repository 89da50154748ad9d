package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.flotilla.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An output's "Advanced YAML" ({@code config_yaml}): parsed as a YAML mapping, dotted keys
 * ({@code ssl.certificate_authorities: [...]}) expanded into nested maps, then merged into the output with the
 * YAML winning ({@link #merge}).
 */
final class AdvancedYaml {
    private static final YAMLMapper YAML = new YAMLMapper();

    private AdvancedYaml() {
    }

    /** The expanded mapping; empty for blank text; a {@link ManagementError} 400 on {@code field} when malformed. */
    static ObjectNode parse(String text, String field) {
        if (text == null || text.isBlank()) {
            return Json.object();
        }
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (IOException e) {
            throw ManagementError.invalid(field, "not valid YAML: " + oneLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw ManagementError.invalid(field, "must be a YAML mapping of output settings (e.g."
                    + " 'ssl.certificate_authorities: [/path/ca.crt]'), not a " + node.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT));
        }
        return expand((ObjectNode) node);
    }

    /** {@code a.b: v} becomes {@code a: {b: v}}, recursively; nested maps with the same prefix are merged. */
    static ObjectNode expand(ObjectNode in) {
        ObjectNode out = Json.object();
        Iterator<Map.Entry<String, JsonNode>> it = in.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue().isObject() ? expand((ObjectNode) e.getValue()) : e.getValue();
            String[] parts = e.getKey().split("\\.");
            ObjectNode at = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = at.get(parts[i]);
                at = next instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            String last = parts[parts.length - 1];
            if (value.isObject() && at.get(last) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) value);
            } else {
                at.set(last, value);
            }
        }
        return out;
    }

    /** Deep-merges {@code top} into {@code base}: maps merge key by key, anything else from {@code top} wins. */
    static ObjectNode merge(ObjectNode base, ObjectNode top) {
        List<String> names = new ArrayList<>();
        top.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode t = top.get(name);
            if (t.isObject() && base.get(name) instanceof ObjectNode b) {
                merge(b, (ObjectNode) t);
            } else {
                base.set(name, t.deepCopy());
            }
        }
        return base;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replaceAll("\\s*\\n\\s*", " ").trim();
    }
}
