package dev.flotilla.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates responses against the schemas of the reference's {@code fleet-server-openapi.yml} (a copy in test
 * resources). Two adjustments, both because the reference server itself behaves so: properties declared
 * {@code type: string, format: application/json} are raw JSON (objects on the wire), so their type is not
 * checked; and the action {@code data} {@code oneOf} becomes {@code anyOf}, since several of its alternatives
 * (UNENROLL, INPUT_ACTION) accept any object and a real payload would match more than one.
 */
final class OpenApiSchemas {
    private static final ObjectNode SPEC = load();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));

    private OpenApiSchemas() {
    }

    private static ObjectNode load() {
        try (InputStream in = OpenApiSchemas.class.getResourceAsStream("/fleet-server-openapi.yml")) {
            ObjectNode spec = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(in);
            relax(spec);
            return spec;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void relax(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            if ("application/json".equals(obj.path("format").asText(null)) && "string".equals(obj.path("type")
                    .asText(null))) {
                obj.remove("type");
                obj.remove("format");
            }
            JsonNode data = obj.path("properties").path("data");
            if (data instanceof ObjectNode d && d.has("oneOf")) {
                d.set("anyOf", d.remove("oneOf"));
            }
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                relax(e.getValue());
            }
        } else if (node != null && node.isArray()) {
            node.forEach(OpenApiSchemas::relax);
        }
    }

    /** The problems of {@code value} against {@code #/components/schemas/<name>} (empty when valid). */
    static Set<String> problems(String name, JsonNode value) {
        if (!SPEC.path("components").path("schemas").has(name)) {
            throw new IllegalArgumentException("no schema " + name + " in the reference");
        }
        ObjectNode root = SPEC.deepCopy();
        root.put("$ref", "#/components/schemas/" + name);
        JsonSchema schema = FACTORY.getSchema(root);
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
