package dev.flotilla.cli.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Seeds#localize} plus the Elasticsearch hop: the seed's example cluster URL becomes the test cluster's and its
 * example service token the cluster's real one; any flag can then be replaced or dropped.
 */
final class EsSeeds {
    private EsSeeds() {
    }

    static List<String> localize(String seed, Path root, int port, String basePath, String esUrl, String token) {
        List<String> args = new ArrayList<>();
        for (String a : Seeds.localize(seed, root, port, null, basePath)) {
            if (a.startsWith("--fleet-server-es=")) {
                args.add("--fleet-server-es=" + esUrl);
            } else if (a.startsWith("--fleet-server-service-token=")) {
                args.add("--fleet-server-service-token=" + token);
            } else {
                args.add(a);
            }
        }
        return args;
    }

    /** Replaces the flag's value ({@code flag=...}); fails when the seed does not have it. */
    static List<String> with(List<String> args, String flag, String value) {
        List<String> out = new ArrayList<>();
        boolean found = false;
        for (String a : args) {
            if (a.startsWith(flag + "=")) {
                out.add(flag + "=" + value);
                found = true;
            } else {
                out.add(a);
            }
        }
        if (!found) {
            throw new IllegalArgumentException(flag + " is not in " + args);
        }
        return out;
    }

    /** Drops every flag starting with {@code prefix=}. */
    static List<String> without(List<String> args, String... flags) {
        List<String> out = new ArrayList<>(args);
        for (String flag : flags) {
            out.removeIf(a -> a.startsWith(flag + "="));
        }
        return out;
    }

    static List<String> plus(List<String> args, String arg) {
        List<String> out = new ArrayList<>(args);
        out.add(arg);
        return out;
    }

    static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }
}
