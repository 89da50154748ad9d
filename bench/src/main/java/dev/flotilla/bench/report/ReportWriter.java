package dev.flotilla.bench.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the report directory: {@code report.json} (every scenario's latest run), {@code report.md} (a short
 * table per scenario) and {@code agents.png} (latency and memory against agent count). A new run of a scenario
 * replaces that scenario's previous run and keeps the others, so scenarios can be run one at a time.
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public ReportWriter(Path dir) {
        this.dir = dir;
    }

    public Path json() {
        return dir.resolve("report.json");
    }

    public Path markdown() {
        return dir.resolve("report.md");
    }

    public Path plot() {
        return dir.resolve("agents.png");
    }

    /** Merges {@code run} into the report in the directory and rewrites all three files. */
    public Map<String, ScenarioRun> write(ScenarioRun run) {
        Map<String, ScenarioRun> runs = new TreeMap<>(read());
        runs.put(run.scenario(), run);
        try {
            Files.createDirectories(dir);
            JSON.writeValue(json().toFile(), new Document(runs));
            Files.writeString(markdown(), markdown(runs));
            new AgentPlot(allPoints(runs)).write(plot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
        return runs;
    }

    /** The runs in the existing report.json, or none when there is no report yet. */
    public Map<String, ScenarioRun> read() {
        if (!Files.exists(json())) {
            return Map.of();
        }
        try {
            return JSON.readValue(json().toFile(), Document.class).scenarios();
        } catch (IOException e) {
            System.err.println("bench: ignoring unreadable " + json() + " (" + e.getMessage() + ")");
            return Map.of();
        }
    }

    static List<Point> allPoints(Map<String, ScenarioRun> runs) {
        List<Point> all = new ArrayList<>();
        runs.values().forEach(r -> all.addAll(r.points()));
        return all;
    }

    static String markdown(Map<String, ScenarioRun> runs) {
        StringBuilder md = new StringBuilder("# Flotilla benchmark report\n\n");
        md.append("Ratios compare with a reference measured in the same run on the same box; absolute figures ")
                .append("move with the box's load (load average shown per scenario).\n");
        for (ScenarioRun run : runs.values()) {
            Map<String, String> m = run.machine();
            md.append("\n## ").append(run.scenario()).append("\n\n");
            md.append("Run ").append(m.getOrDefault("date", "?")).append(" on ").append(m.getOrDefault("cpu", "?"))
                    .append(", ").append(m.getOrDefault("memory", "?")).append(", ").append(m.getOrDefault("java", "?"))
                    .append("; load average before: ").append(m.getOrDefault("loadavg", "?"))
                    .append(", after: ").append(run.loadAfter()).append(".\n\n");
            if (!run.figures().isEmpty()) {
                md.append("| figure | value | reference (same run) | ratio | target | met |\n");
                md.append("|---|---:|---|---:|---|---|\n");
                for (Figure f : run.figures()) {
                    md.append("| ").append(f.name()).append(" | ").append(number(f.value())).append(' ').append(f.unit())
                            .append(" | ").append(f.reference() == null ? "" : f.reference() + " " + number(f.referenceValue()))
                            .append(" | ").append(f.ratio() == null ? "" : String.format(Locale.ROOT, "%.2fx", f.ratio()))
                            .append(" | ").append(f.target() == null ? "" : f.target())
                            .append(" | ").append(f.met() == null ? "" : f.met() ? "yes" : "**no**").append(" |\n");
                }
            }
            if (!run.notes().isEmpty()) {
                md.append('\n');
                run.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            }
        }
        return md.toString();
    }

    /** One line for the console. */
    public static String line(Figure f) {
        StringBuilder s = new StringBuilder(f.name()).append(": ").append(number(f.value())).append(' ').append(f.unit());
        if (f.reference() != null) {
            s.append(" vs ").append(f.reference()).append(' ').append(number(f.referenceValue()))
                    .append(String.format(Locale.ROOT, " = %.2fx", f.ratio()));
        }
        if (f.target() != null) {
            s.append(" [target ").append(f.target()).append(f.met() == null ? "" : f.met() ? ": met" : ": MISSED").append(']');
        }
        return s.toString();
    }

    static String number(Double v) {
        if (v == null) {
            return "";
        }
        double a = Math.abs(v);
        if (a >= 100 || a == Math.rint(a)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return a >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** The JSON document: every scenario's latest run by name. */
    public record Document(Map<String, ScenarioRun> scenarios) {
        public Document {
            scenarios = new LinkedHashMap<>(scenarios);
        }
    }
}
