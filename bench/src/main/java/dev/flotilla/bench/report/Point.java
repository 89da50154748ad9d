package dev.flotilla.bench.report;

/**
 * One point of a series plotted against agent count.
 *
 * @param series the series name, e.g. {@code fan-out p99 (ms)} or {@code RSS per agent (KiB)}
 * @param agents connected agents (the x axis)
 * @param value the value (the y axis)
 */
public record Point(String series, long agents, double value) {
}
