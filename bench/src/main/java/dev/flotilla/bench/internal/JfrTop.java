package dev.flotilla.bench.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples ({@code jdk.ExecutionSample}) of a JFR recording: the methods the samples were in
 * (self) and the methods on the sampled stacks (inclusive), as shares of all samples.
 *
 * <pre>java -cp ... dev.flotilla.bench.internal.JfrTop recording.jfr [N]</pre>
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        System.out.print(summarise(Path.of(args[0]), n));
    }

    public static String summarise(Path recording, int n) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> flotillaInclusive = new HashMap<>();
        Map<String, Integer> nativeTop = new HashMap<>();
        Map<String, Integer> blocked = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        int blockedMillis = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.NativeMethodSample") && e.getStackTrace() != null && !e.getStackTrace().getFrames().isEmpty()) {
                nativeSamples++;
                nativeTop.merge(name(e.getStackTrace().getFrames().get(0)), 1, Integer::sum);
                continue;
            }
            if (type.equals("jdk.JavaMonitorEnter") && e.getStackTrace() != null) {
                int ms = (int) e.getDuration().toMillis();
                blockedMillis += ms;
                e.getStackTrace().getFrames().stream().map(JfrTop::name).filter(m -> m.startsWith("dev.flotilla"))
                        .findFirst().ifPresent(m -> blocked.merge(m, ms, Integer::sum));
                continue;
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0)), 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                if (seen.add(name(f))) {
                    inclusive.merge(name(f), 1, Integer::sum);
                    if (name(f).startsWith("dev.flotilla")) {
                        flotillaInclusive.merge(name(f), 1, Integer::sum);
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder(samples + " CPU samples in " + recording.getFileName() + "\n");
        out.append("top self:\n");
        top(self, samples, n, out);
        out.append("top inclusive:\n");
        top(inclusive, samples, n, out);
        out.append("top inclusive, Flotilla code only:\n");
        top(flotillaInclusive, samples, n, out);
        out.append(nativeSamples + " samples of threads in native code (running or blocked there), by method:\n");
        top(nativeTop, nativeSamples, n, out);
        out.append(blockedMillis + " ms blocked entering monitors (events over 20 ms), by first Flotilla frame (share of that time):\n");
        top(blocked, blockedMillis, n, out);
        return out.toString();
    }

    private static void top(Map<String, Integer> counts, int total, int n, StringBuilder out) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n).forEach(e ->
                out.append(String.format(java.util.Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
