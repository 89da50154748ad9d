package dev.flotilla.bench.handshake;

import dev.flotilla.bench.internal.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A Flotilla TLS server running in its own JVM (pinned with taskset), stopped on close. */
final class JvmServer implements TargetServer {

    private final String name;
    private final Process process;
    private final int port;
    private final String path;

    private JvmServer(String name, Process process, int port, String path) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.path = path;
    }

    /** Starts {@code mainClass} with {@code args}; {@code port} must be among the args the class listens on. */
    static JvmServer start(String name, String mainClass, List<String> args, int port, String path, String cpus,
                           List<String> jvmOptions, Path dir) {
        Path log = dir.resolve(name + ".log");
        Process p = Processes.start(Processes.java(cpus, jvmOptions, mainClass, args), dir, log);
        FreePort.awaitListening(port, Duration.ofSeconds(60), p, log);
        return new JvmServer(name, p, port, path);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
