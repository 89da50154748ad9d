package dev.flotilla.agent.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One stream of a {@code logfile} input: the paths (globs in the file name allowed) and where events go. */
public record LogfileSpec(List<String> paths, String dataset, String namespace, String output) {

    public LogfileSpec {
        paths = List.copyOf(paths);
    }

    /** Every {@code logfile} (or {@code filestream}) stream of {@code policy}'s inputs. */
    public static List<LogfileSpec> fromPolicy(Map<String, Object> policy) {
        List<LogfileSpec> specs = new ArrayList<>();
        if (!(policy.get("inputs") instanceof List<?> inputs)) {
            return specs;
        }
        for (Object i : inputs) {
            if (!(i instanceof Map<?, ?> input)) {
                continue;
            }
            String type = String.valueOf(input.get("type"));
            if (!"logfile".equals(type) && !"filestream".equals(type) && !"log".equals(type)) {
                continue;
            }
            String namespace = nested(input.get("data_stream"), "namespace", "default");
            String output = input.get("use_output") == null ? "default" : String.valueOf(input.get("use_output"));
            List<Object> streams = input.get("streams") instanceof List<?> s ? new ArrayList<>(s) : List.of(input);
            for (Object st : streams) {
                if (!(st instanceof Map<?, ?> stream) || !(stream.get("paths") instanceof List<?> ps)) {
                    continue;
                }
                List<String> paths = ps.stream().map(String::valueOf).toList();
                String dataset = nested(stream.get("data_stream"), "dataset", "generic");
                specs.add(new LogfileSpec(paths, dataset, nested(stream.get("data_stream"), "namespace", namespace), output));
            }
        }
        return specs;
    }

    private static String nested(Object map, String key, String dflt) {
        if (map instanceof Map<?, ?> m && m.get(key) != null) {
            return String.valueOf(m.get(key));
        }
        return dflt;
    }
}
