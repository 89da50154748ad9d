package dev.flotilla.bench.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --key=value} arguments of a scenario, with defaults at the call site. */
public final class Options {

    private final Map<String, String> values = new HashMap<>();

    public Options(List<String> args) {
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("bench: expected --key=value, got '" + a + "'");
            }
            values.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
    }

    public String string(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    public int integer(String key, int dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bench: --" + key + "=" + v + " is not a whole number");
        }
    }

    public List<Integer> integers(String key, String dflt) {
        return strings(key, dflt).stream().map(s -> Integer.parseInt(s.replace("_", ""))).toList();
    }

    /** A comma-separated list, each item stripped, empty items dropped. */
    public List<String> strings(String key, String dflt) {
        return List.of(string(key, dflt).split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A duration in seconds ({@code 30}) or with a unit ({@code 500ms}, {@code 2m}). */
    public Duration duration(String key, String dflt) {
        String v = values.getOrDefault(key, dflt).strip();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis((long) (Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v) * 1000));
    }
}
