package dev.flotilla.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * async-profiler (Maven Central {@code tools.profiler:async-profiler}, on the bench classpath) attached to running
 * JVMs for one phase of a scenario: CPU samples with native frames (BoringSSL, SQLite, the kernel's side of a
 * syscall is not seen with {@code itimer}), which JFR cannot show. Attached with {@code jcmd PID JVMTI.agent_load},
 * so the JVMs under test start without it and only the phase asked for is sampled.
 */
public final class AsyncProfiler {
    private static final String LIBRARY = "linux-x64/libasyncProfiler.so";
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);

    private final Path library;
    private final Path out;

    private AsyncProfiler(Path library, Path out) {
        this.library = library;
        this.out = out;
    }

    /** The library copied out of the jar on the classpath into {@code out}, where the profiles go too. */
    public static AsyncProfiler extractTo(Path out) {
        try (InputStream in = AsyncProfiler.class.getClassLoader().getResourceAsStream(LIBRARY)) {
            if (in == null) {
                throw new IllegalStateException(LIBRARY + " is not on the classpath: the bench module depends on "
                        + "tools.profiler:async-profiler; rebuild with scripts/bench/run.sh");
            }
            Files.createDirectories(out);
            Path lib = out.resolve("libasyncProfiler.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            return new AsyncProfiler(lib, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts CPU sampling (every 1 ms of CPU time per thread, thread names kept) in each JVM. */
    public void start(List<Long> pids) {
        for (long pid : pids) {
            command(pid, "start,event=itimer,interval=1ms,threads");
        }
    }

    /**
     * Stops sampling and writes, per JVM, a flame graph ({@code NAME-pPID.html}) and the collapsed stacks
     * ({@code NAME-pPID.collapsed}, what {@link ProfileTop} summarises); returns the collapsed files.
     */
    public List<Path> stop(List<Long> pids, String name) {
        List<Path> written = new ArrayList<>();
        for (long pid : pids) {
            Path base = out.resolve(name + "-p" + pid);
            command(pid, "dump,flamegraph,threads,file=" + base + ".html");
            command(pid, "stop,collapsed,threads,file=" + base + ".collapsed");
            written.add(Path.of(base + ".collapsed"));
        }
        return written;
    }

    /** jcmd would read {@code key=value} in the agent's options as its own named argument: they go quoted. */
    private void command(long pid, String arguments) {
        Processes.Result r = Processes.run(List.of("jcmd", Long.toString(pid), "JVMTI.agent_load",
                library.toString(), '"' + arguments + '"'), out, JCMD_TIMEOUT);
        if (r.exitCode() != 0 || r.output().contains("[ERROR]")) {
            System.err.println("bench: async-profiler '" + arguments + "' in " + pid + ": " + r.output().strip());
        }
    }
}
