package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/** Query parameters and Kibana's list shape {@code {items, total, page, perPage}}. */
final class Paging {
    private Paging() {
    }

    static Map<String, List<String>> query(String uri) {
        return new QueryStringDecoder(uri).parameters();
    }

    static String param(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    static int number(Map<String, List<String>> q, String name, int dflt, int min, int max) {
        String v = param(q, name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw ManagementError.invalid(name, n + " is out of range (expected: " + min + ".." + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ManagementError.invalid(name, "'" + v + "' is not a number");
        }
    }

    /** One page of {@code all} (1-based page). */
    static ObjectNode page(List<? extends com.fasterxml.jackson.databind.JsonNode> all, int page, int perPage) {
        ObjectNode out = Json.object();
        var items = out.putArray("items");
        int from = (int) Math.min((long) (page - 1) * perPage, all.size());
        all.subList(from, Math.min(from + perPage, all.size())).forEach(items::add);
        out.put("total", all.size());
        out.put("page", page);
        out.put("perPage", perPage);
        return out;
    }

    static ObjectNode item(com.fasterxml.jackson.databind.JsonNode item) {
        ObjectNode out = Json.object();
        out.set("item", item);
        return out;
    }
}
