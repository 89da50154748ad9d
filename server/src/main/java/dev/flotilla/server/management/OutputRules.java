package dev.flotilla.server.management;

import dev.flotilla.server.policy.PolicySecrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An Elasticsearch output as saved (validated, secrets sealed), as shown (secrets masked) and as sent in a
 * policy (Advanced YAML merged in, {@code ca_trusted_fingerprint} as {@code ssl.ca_trusted_fingerprint},
 * secrets opened).
 */
final class OutputRules {
    static final String MASK = "********";
    static final List<String> SECRETS = List.of("api_key", "password");

    private OutputRules() {
    }

    /** The document to store: {@code body} applied over {@code existing} (null: a new output). */
    static ObjectNode apply(ObjectNode existing, JsonNode body, SecretBox box) {
        ObjectNode doc = existing == null ? Json.object() : existing.deepCopy();
        if (existing == null) {
            doc.put("id", text(body, "id") != null ? text(body, "id") : UUID.randomUUID().toString());
            doc.put("type", "elasticsearch");
            doc.put("is_default", false);
            doc.put("is_default_monitoring", false);
        }
        if (body.has("name")) {
            doc.put("name", text(body, "name"));
        }
        if (doc.path("name").asText("").isBlank()) {
            throw ManagementError.invalid("name", "an output needs a name, e.g. \"default\"");
        }
        if (body.has("type") && !"elasticsearch".equals(body.get("type").asText())) {
            throw ManagementError.invalid("type", "'" + body.get("type").asText() + "' is not supported; Flotilla"
                    + " outputs are of type elasticsearch");
        }
        for (String flag : List.of("is_default", "is_default_monitoring")) {
            if (body.has(flag)) {
                if (!body.get(flag).isBoolean()) {
                    throw ManagementError.invalid(flag, "must be true or false");
                }
                doc.put(flag, body.get(flag).asBoolean());
            }
        }
        if (body.has("hosts")) {
            doc.set("hosts", body.get("hosts"));
        }
        setOrClear(doc, body, "ca_trusted_fingerprint", v -> TlsFieldCheck.fingerprint(v, "ca_trusted_fingerprint"));
        setOrClear(doc, body, "ca_sha256", v -> sha256Pin(v));
        setOrClear(doc, body, "config_yaml", v -> v);
        setOrClear(doc, body, "username", v -> v);
        if (body.has("ssl")) {
            ObjectNode ssl = TlsFieldCheck.ssl(body.get("ssl"), "ssl");
            if (ssl.isEmpty()) {
                doc.remove("ssl");
            } else {
                doc.set("ssl", ssl);
            }
        }
        ObjectNode yaml = AdvancedYaml.parse(doc.path("config_yaml").asText(null), "config_yaml");
        if (yaml.has("ssl")) {
            TlsFieldCheck.ssl(yaml.get("ssl"), "config_yaml: ssl");
        }
        if (yaml.has("hosts")) {
            throw ManagementError.invalid("config_yaml", "hosts belong in the output's hosts field, not in the"
                    + " Advanced YAML");
        }
        List<String> why = new ArrayList<>();
        if (doc.hasNonNull("ca_trusted_fingerprint")) {
            why.add("ca_trusted_fingerprint");
        }
        if (doc.hasNonNull("ca_sha256")) {
            why.add("ca_sha256");
        }
        if (doc.has("ssl")) {
            why.add("ssl");
        }
        if (yaml.has("ssl")) {
            why.add("config_yaml ssl");
        }
        doc.set("hosts", TlsFieldCheck.hosts(doc.get("hosts"), "hosts", !why.isEmpty(), String.join(", ", why)));
        ObjectNode secrets = doc.get("secrets") instanceof ObjectNode s ? s : doc.putObject("secrets");
        for (String name : SECRETS) {
            if (body.has(name)) {
                JsonNode v = body.get(name);
                if (v.isNull() || v.asText().isEmpty()) {
                    secrets.remove(name);
                } else if (!v.asText().equals(MASK)) {
                    secrets.put(name, box.seal(v.asText()));
                }
            }
        }
        if (secrets.isEmpty()) {
            doc.remove("secrets");
        }
        return doc;
    }

    /** What the API returns: secrets replaced by {@link #MASK}. */
    static ObjectNode view(ObjectNode doc) {
        ObjectNode v = doc.deepCopy();
        JsonNode secrets = v.remove("secrets");
        if (secrets != null) {
            secrets.fieldNames().forEachRemaining(name -> v.put(name, MASK));
        }
        return v;
    }

    /** The output as stored in a policy revision; credentials stay sealed until a POLICY_CHANGE is built. */
    static ObjectNode forPolicy(ObjectNode doc) {
        ObjectNode o = Json.object();
        o.put("type", "elasticsearch");
        o.set("hosts", doc.get("hosts").deepCopy());
        if (doc.hasNonNull("ca_sha256")) {
            o.put("ca_sha256", doc.get("ca_sha256").asText());
        }
        ObjectNode ssl = doc.get("ssl") instanceof ObjectNode s ? s.deepCopy() : Json.object();
        if (doc.hasNonNull("ca_trusted_fingerprint")) {
            ssl.put("ca_trusted_fingerprint", doc.get("ca_trusted_fingerprint").asText());
        }
        if (!ssl.isEmpty()) {
            o.set("ssl", ssl);
        }
        if (doc.hasNonNull("username")) {
            o.put("username", doc.get("username").asText());
        }
        JsonNode secrets = doc.path("secrets");
        for (String name : SECRETS) {
            if (secrets.hasNonNull(name)) {
                o.set(name, PolicySecrets.sealedValue(secrets.get(name).asText()));
            }
        }
        ObjectNode yaml = AdvancedYaml.parse(doc.path("config_yaml").asText(null), "config_yaml");
        if (yaml.get("ssl") instanceof ObjectNode ys) {
            yaml.set("ssl", TlsFieldCheck.ssl(ys, "config_yaml: ssl"));
        }
        return AdvancedYaml.merge(o, yaml);
    }

    private static String sha256Pin(String v) {
        try {
            if (Base64.getDecoder().decode(v.trim()).length == 32) {
                return v.trim();
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw ManagementError.invalid("ca_sha256", "'" + v + "' is not a base64 SHA-256 of a public key (44"
                + " characters); for a certificate fingerprint in hex use ca_trusted_fingerprint");
    }

    private static void setOrClear(ObjectNode doc, JsonNode body, String field,
                                   java.util.function.UnaryOperator<String> check) {
        if (!body.has(field)) {
            return;
        }
        JsonNode v = body.get(field);
        if (v.isNull() || v.asText().isBlank()) {
            doc.remove(field);
        } else if (!v.isTextual()) {
            throw ManagementError.invalid(field, "must be a string");
        } else {
            doc.put(field, check.apply(v.asText()));
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
