package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A plain text table: a header row and aligned columns, for people; {@code --json} prints the API's JSON instead. */
final class Table {
    private final List<String> headers = new ArrayList<>();
    private final List<Function<JsonNode, String>> cells = new ArrayList<>();

    Table column(String header, Function<JsonNode, String> cell) {
        headers.add(header);
        cells.add(cell);
        return this;
    }

    Table field(String header, String field) {
        return column(header, n -> text(n.path(field)));
    }

    void print(PrintWriter out, JsonNode items) {
        List<String[]> rows = new ArrayList<>();
        rows.add(headers.toArray(new String[0]));
        for (JsonNode item : items) {
            String[] row = new String[cells.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = cells.get(i).apply(item);
            }
            rows.add(row);
        }
        int[] width = new int[headers.size()];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "-";
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            n.forEach(x -> parts.add(x.asText()));
            return parts.isEmpty() ? "-" : String.join(",", parts);
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? "yes" : "no";
        }
        return n.asText();
    }
}
