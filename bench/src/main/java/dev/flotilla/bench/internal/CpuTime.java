package dev.flotilla.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU seconds (user + system) a process and its children have used, from /proc/&lt;pid&gt;/stat. */
public final class CpuTime {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux x86-64

    private CpuTime() {
    }

    /** CPU seconds of {@code pid} plus every live descendant (e.g. nginx's worker). */
    public static double seconds(long pid) {
        double total = ofOne(pid);
        try (Stream<ProcessHandle> children = ProcessHandle.of(pid).map(ProcessHandle::descendants).orElse(Stream.empty())) {
            total += children.mapToDouble(h -> ofOne(h.pid())).sum();
        }
        return total;
    }

    /** CPU seconds of {@code pid} alone (without its children). */
    public static double ofOne(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": field 3 is state; utime and stime are fields 14 and 15 of the full line
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
