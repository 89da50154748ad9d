package dev.flotilla.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: date, CPU, memory, JVM, and how loaded the box was (load average). */
public final class Machine {

    private Machine() {
    }

    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("host", hostName());
        m.put("cpu", cpuModel() + " x" + Runtime.getRuntime().availableProcessors() + " (visible to this JVM)");
        m.put("online_cpus", read("/sys/devices/system/cpu/online").strip());
        m.put("memory", memTotal());
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadavg", loadAverage());
        return m;
    }

    /** The 1/5/15-minute load averages and run queue, as /proc/loadavg has them. */
    public static String loadAverage() {
        String s = read("/proc/loadavg").strip();
        return s.isEmpty() ? String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) : s;
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    private static String hostName() {
        String h = read("/proc/sys/kernel/hostname").strip();
        return h.isEmpty() ? "unknown" : h;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
