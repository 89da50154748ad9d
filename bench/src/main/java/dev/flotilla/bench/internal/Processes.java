package dev.flotilla.bench.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the other processes a scenario needs (openssl, nginx, a server JVM) and bounds them in time. */
public final class Processes {

    private Processes() {
    }

    /** The result of a finished process: exit code, wall time, and its output (stdout and stderr together). */
    public record Result(int exitCode, Duration elapsed, String output) {
    }

    /** Runs {@code command} in {@code dir}, waits at most {@code timeout} (then kills it), returns its result. */
    public static Result run(List<String> command, Path dir, Duration timeout) {
        try {
            Path log = Files.createTempFile(dir, "process-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "; its output is in " + log);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(p.exitValue(), elapsed, out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Starts a long-running process whose output goes to {@code log}; the caller stops it. */
    public static Process start(List<String> command, Path dir, Path log) {
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Stops a process started by {@link #start}: TERM, then KILL after {@code grace}; children too. */
    public static void stop(Process p, Duration grace) {
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * A command line that runs {@code mainClass} in a new JVM with this JVM's classpath, pinned to {@code cpus}
     * with taskset (null or empty: not pinned).
     */
    public static List<String> java(String cpus, List<String> jvmOptions, String mainClass, List<String> args) {
        return java(System.getProperty("java.home"), cpus, jvmOptions, mainClass, args);
    }

    /** As above with the JVM of {@code javaHome} (a JDK or JRE directory) instead of this one's. */
    public static List<String> java(String javaHome, String cpus, List<String> jvmOptions, String mainClass,
                                    List<String> args) {
        return java(javaHome, cpus, jvmOptions, System.getProperty("java.class.path"), mainClass, args);
    }

    /** As above with {@code classpath} instead of this JVM's. */
    public static List<String> java(String javaHome, String cpus, List<String> jvmOptions, String classpath,
                                    String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>(pinned(cpus));
        cmd.add(Path.of(javaHome, "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** {@code taskset -c cpus} when cpus is set and taskset exists, else nothing. */
    public static List<String> pinned(String cpus) {
        if (cpus == null || cpus.isBlank() || !onPath("taskset")) {
            return List.of();
        }
        return List.of("taskset", "-c", cpus);
    }

    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool));
    }

    /** The resident set size (VmRSS) of a process in KiB, from /proc/&lt;pid&gt;/status; -1 when unknown. */
    public static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
