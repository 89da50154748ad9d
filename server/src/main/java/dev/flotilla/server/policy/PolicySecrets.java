package dev.flotilla.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Output credentials ({@code api_key}, {@code password}) stay encrypted inside stored policy revisions, as
 * {@code {"sealed": "<encrypted>"}}; they are opened only when a POLICY_CHANGE is built for an agent, so the
 * store never holds them in clear.
 */
public final class PolicySecrets {
    /** The output fields that hold credentials. */
    public static final List<String> FIELDS = List.of("api_key", "password");
    private static final String SEALED = "sealed";

    private PolicySecrets() {
    }

    /** The stored form of an encrypted credential. */
    public static ObjectNode sealedValue(String sealed) {
        return Json.object().put(SEALED, sealed);
    }

    static boolean isSealed(JsonNode value) {
        return value != null && value.isObject() && value.size() == 1 && value.path(SEALED).isTextual();
    }

    /** Replaces every sealed credential of the policy's outputs with its clear value, in place. */
    static void open(ObjectNode policy, UnaryOperator<String> opener) {
        policy.path("outputs").forEach(output -> {
            if (output instanceof ObjectNode o) {
                for (String field : FIELDS) {
                    if (isSealed(o.get(field))) {
                        o.put(field, opener.apply(o.get(field).get(SEALED).asText()));
                    }
                }
            }
        });
    }

    /** For servers without the secrets key: says what is missing instead of sending a sealed value. */
    static String noKey(String sealed) {
        throw new IllegalStateException("the policy holds an encrypted output credential but this Fleet Server has"
                + " no secrets.key in its data directory; start it with the --data-dir that the management API"
                + " uses, or set the output's credentials again");
    }
}
