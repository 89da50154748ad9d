package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/** Prints what a command got back: JSON for {@code --json}, else a table or "key: value" lines. */
final class Output {
    private Output() {
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(ManagementClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void list(PrintWriter out, boolean asJson, JsonNode reply, Table table) {
        if (asJson) {
            json(out, reply);
            return;
        }
        table.print(out, reply.path("items"));
        if (reply.path("total").asInt() > reply.path("items").size()) {
            out.println("(" + reply.path("items").size() + " of " + reply.path("total").asInt() + "; page "
                    + reply.path("page").asInt() + ", --page for more)");
        }
        out.flush();
    }

    /** One item as "key: value" lines (nested values as compact JSON). */
    static void item(PrintWriter out, boolean asJson, JsonNode reply, String done) {
        if (asJson) {
            json(out, reply);
            return;
        }
        if (done != null) {
            out.println(done);
        }
        JsonNode item = reply.has("item") ? reply.get("item") : reply;
        Iterator<Map.Entry<String, JsonNode>> it = item.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String text = v.isContainerNode() ? v.toString() : Table.text(v);
            if (v.isTextual() && v.asText().contains("\n")) {
                text = "|\n    " + v.asText().strip().replace("\n", "\n    ");
            }
            out.println(e.getKey() + ": " + text);
        }
        out.flush();
    }
}
