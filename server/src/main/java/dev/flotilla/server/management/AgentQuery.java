package dev.flotilla.server.management;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent list filters: {@code policy_id}, {@code status}, {@code tags} (comma lists) and the simple form of
 * Kibana's {@code kuery}: {@code field:value} terms joined by {@code and}, fields {@code policy_id}, {@code status},
 * {@code tags} (optionally prefixed {@code fleet-agents.}, values optionally quoted).
 */
record AgentQuery(String policyId, List<String> statuses, List<String> tags) {

    static AgentQuery of(Map<String, List<String>> q) {
        Map<String, String> terms = new LinkedHashMap<>();
        String kuery = Paging.param(q, "kuery");
        if (kuery != null && !kuery.isBlank()) {
            for (String term : kuery.trim().split("(?i)\\s+and\\s+")) {
                int colon = term.indexOf(':');
                if (colon < 1) {
                    throw ManagementError.invalid("kuery", "'" + term + "' is not field:value; supported: policy_id,"
                            + " status and tags joined by 'and'");
                }
                String field = term.substring(0, colon).trim().toLowerCase(Locale.ROOT)
                        .replaceFirst("^fleet-agents\\.", "");
                String value = term.substring(colon + 1).trim().replaceAll("^\"|\"$", "");
                if (!List.of("policy_id", "status", "tags").contains(field)) {
                    throw ManagementError.invalid("kuery", "field '" + field + "' is not supported; use policy_id,"
                            + " status or tags");
                }
                terms.merge(field, value, (a, b) -> a + "," + b);
            }
        }
        String policy = first(Paging.param(q, "policy_id"), Paging.param(q, "policyId"), terms.get("policy_id"));
        return new AgentQuery(policy, list(first(Paging.param(q, "status"), terms.get("status"))),
                list(first(Paging.param(q, "tags"), terms.get("tags"))));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static List<String> list(String v) {
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}
