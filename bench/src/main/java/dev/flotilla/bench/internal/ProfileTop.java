package dev.flotilla.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Summarises async-profiler's collapsed stacks ({@code thread;frame;...;leaf COUNT} per line): samples per thread
 * group, the frames the samples were in (self), and the frames on the sampled stacks (inclusive), as shares.
 *
 * <pre>java -cp ... dev.flotilla.bench.internal.ProfileTop FILE.collapsed... [--top=N]</pre>
 */
public final class ProfileTop {

    private ProfileTop() {
    }

    public static void main(String[] args) throws IOException {
        int n = 30;
        List<Path> files = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--top=")) {
                n = Integer.parseInt(a.substring("--top=".length()));
            } else {
                files.add(Path.of(a));
            }
        }
        System.out.print(summarise(files, n));
    }

    public static String summarise(List<Path> files, int n) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        long total = 0;
        for (Path f : files) {
            if (!Files.exists(f)) {
                continue; // the profiler said why on stderr
            }
            try (Stream<String> lines = Files.lines(f)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    int space = line.lastIndexOf(' ');
                    if (space < 0) {
                        continue;
                    }
                    long count = Long.parseLong(line.substring(space + 1).strip());
                    String[] frames = line.substring(0, space).split(";");
                    total += count;
                    threads.merge(threadGroup(frames[0]), count, Long::sum);
                    self.merge(frames[frames.length - 1], count, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (int i = 1; i < frames.length; i++) {
                        if (seen.add(frames[i])) {
                            inclusive.merge(frames[i], count, Long::sum);
                        }
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d samples in %d file(s)%n", total, files.size()));
        append(out, "threads", threads, total, n);
        append(out, "self", self, total, n);
        append(out, "inclusive", inclusive, total, n * 2);
        return out.toString();
    }

    /** A thread name without its numbers ("[epollEventLoopGroup-3-1 tid=77]" -> "[epollEventLoopGroup-N-N tid=N]"). */
    private static String threadGroup(String frame) {
        return frame.replaceAll("[0-9]+", "N");
    }

    private static void append(StringBuilder out, String title, Map<String, Long> counts, long total, int n) {
        out.append("-- ").append(title).append('\n');
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.append(String.format(Locale.ROOT, "%6.2f%%  %s%n", 100.0 * e.getValue() / total,
                        e.getKey())));
    }
}
