package dev.flotilla.bench.report;

/**
 * One measured figure, optionally next to a reference measured in the same run.
 *
 * @param scenario the scenario that produced it, e.g. {@code handshake}
 * @param name what was measured, e.g. {@code P-256 mTLS handshakes/s (flotilla)}
 * @param value the measured value
 * @param unit its unit, e.g. {@code 1/s}, {@code ms}, {@code KiB}
 * @param reference what the value is compared with (null when the scenario has no same-run reference)
 * @param referenceValue the reference's value, measured in the same run (null without reference)
 * @param target the target as text, e.g. {@code >= 1.5x nginx} (null when there is none)
 * @param met whether the target was met (null when there is no target or it could not be judged)
 * @param note how it was measured, or why a figure is partial
 */
public record Figure(String scenario, String name, double value, String unit, String reference,
                     Double referenceValue, String target, Boolean met, String note) {

    /** value / referenceValue, or null without a reference. */
    public Double ratio() {
        if (referenceValue == null || referenceValue == 0) {
            return null;
        }
        return value / referenceValue;
    }

    public static Figure plain(String scenario, String name, double value, String unit, String note) {
        return new Figure(scenario, name, value, unit, null, null, null, null, note);
    }

    public Figure withTarget(String target, Boolean met) {
        return new Figure(scenario, name, value, unit, reference, referenceValue, target, met, note);
    }

    public Figure withReference(String reference, double referenceValue) {
        return new Figure(scenario, name, value, unit, reference, referenceValue, target, met, note);
    }
}
