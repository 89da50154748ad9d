package dev.flotilla.eslocal.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Elasticsearch process (and the JVMs it starts), run as an unprivileged user when this JVM runs as root
 * (Elasticsearch refuses to run as root). Stopping ends the whole process tree.
 */
public final class NodeProcess {

    /** The uid and gid the node runs as when this JVM runs as root ("nobody"). */
    public static final int UNPRIVILEGED_ID = 65534;

    private final Process process;
    private final List<ProcessHandle> tree = new ArrayList<>();
    private Thread shutdownHook;

    private NodeProcess(Process process, boolean reapOnExit) {
        this.process = process;
        this.shutdownHook = reapOnExit ? new Thread(this::kill, "es-node-reaper-" + process.pid()) : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code env} added, output appended to {@code console};
     * killed when the JVM exits if {@code reapOnExit} (else the caller stops it in its own shutdown hook).
     */
    public static NodeProcess start(List<String> command, Path workDir, boolean reapOnExit, Map<String, String> env,
                                    Path console) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID,
                    "--clear-groups"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().putAll(env);
        try {
            return new NodeProcess(pb.start(), reapOnExit);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + full + " (is setpriv installed?)", e);
        }
    }

    /** Whether this JVM runs as uid 0 (then the node runs as {@link #UNPRIVILEGED_ID}). */
    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Hands every file under {@code dir} to the unprivileged user when running as root. */
    public static void handOver(Path dir) {
        if (!runningAsRoot()) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.setAttribute(p, "unix:uid", UNPRIVILEGED_ID, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", UNPRIVILEGED_ID, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hand " + dir + " to uid " + UNPRIVILEGED_ID, e);
        }
    }

    /** The caller stops the process from now on: the JVM exit no longer kills it. */
    public synchronized void detachFromExit() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
                shutdownHook = null;
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the process as before
            }
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Asks the node to stop (SIGTERM to the tree), then kills what is left after {@code graceSeconds}. */
    public void stop(long graceSeconds) {
        remember();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                kill();
            }
            for (ProcessHandle h : tree) {
                h.onExit().get(graceSeconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        } catch (Exception e) {
            kill();
        } finally {
            detachFromExit();
        }
    }

    private void remember() {
        process.descendants().filter(h -> !tree.contains(h)).forEach(tree::add);
    }

    private void kill() {
        remember();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The live processes whose command line names something under {@code dir} (e.g. a node's home). */
    public static List<ProcessHandle> runningFrom(Path dir) {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        return ProcessHandle.allProcesses().filter(h -> commandLine(h).contains(prefix)).toList();
    }

    /** {@code /proc/<pid>/cmdline} (the JDK's view leaves out processes whose argv[0] is not their executable). */
    private static String commandLine(ProcessHandle h) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            return h.info().commandLine().orElse("");
        }
    }

    /** The last {@code lines} lines of a log file, for error messages. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
