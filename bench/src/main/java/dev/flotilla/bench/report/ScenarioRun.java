package dev.flotilla.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one scenario run produced: its figures, plot points and notes, with the machine and its load.
 *
 * @param scenario the scenario name
 * @param machine {@link Machine#describe()} at the start of the run
 * @param loadAfter the load average at the end of the run (the box is shared; this says how noisy it was)
 * @param figures measured figures
 * @param points points for the agent-count plot
 * @param notes what was not measured, how, and why
 */
public record ScenarioRun(String scenario, Map<String, String> machine, String loadAfter, List<Figure> figures,
                          List<Point> points, List<String> notes) {

    public ScenarioRun {
        machine = Map.copyOf(machine);
        figures = List.copyOf(figures);
        points = List.copyOf(points);
        notes = List.copyOf(notes);
    }

    /** Collects a run while it happens; {@link #finish()} stamps the end load and freezes it. */
    public static final class Recorder {
        private final String scenario;
        private final Map<String, String> machine = Machine.describe();
        private final List<Figure> figures = new ArrayList<>();
        private final List<Point> points = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        public Recorder(String scenario) {
            this.scenario = scenario;
        }

        public String scenario() {
            return scenario;
        }

        public synchronized Figure add(Figure f) {
            figures.add(f);
            System.out.println("  " + ReportWriter.line(f));
            return f;
        }

        public synchronized void point(String series, long agents, double value) {
            points.add(new Point(series, agents, value));
        }

        public synchronized void note(String note) {
            notes.add(note);
            System.out.println("  note: " + note);
        }

        public synchronized ScenarioRun finish() {
            return new ScenarioRun(scenario, machine, Machine.loadAverage(), figures, points, notes);
        }
    }
}
