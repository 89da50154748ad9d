package dev.flotilla.bench.agents;

import dev.flotilla.bench.handshake.HandshakeCertificates;
import dev.flotilla.bench.internal.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Fleet Server JVM ({@link FleetServerMain}) and its stdin/stdout command channel. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final CommandChannel channel;
    private final Path log;
    final int port;
    final String token;

    private ServerProcess(Process process, Path log, int port) throws IOException {
        this.process = process;
        this.log = log;
        this.port = port;
        this.channel = new CommandChannel(process, log, "the Fleet Server");
        String ready = expect("ready", Duration.ofSeconds(90));
        this.token = ready.split(" ")[2];
    }

    /** The product's options for long-running commands, read by the {@code flotilla} launcher too. */
    static final Path PRODUCT_JVM_OPTIONS = Path.of("cli", "jvm", "long-running.options");

    static ServerProcess start(int port, Path dataDir, HandshakeCertificates certs, String cpus, String heap, Path log,
                               Path jfr, List<String> extraJvmOptions) throws IOException {
        return new ServerProcess(launch(port, dataDir, certs, cpus, heap, log, jfr, extraJvmOptions, -1), log, port);
    }

    /** Launches a server JVM (worker -1: the only one) without waiting for it; {@link #ready} waits. */
    static Process launch(int port, Path dataDir, HandshakeCertificates certs, String cpus, String heap, Path log,
                          Path jfr, List<String> extraJvmOptions, int worker) throws IOException {
        Files.createDirectories(dataDir);
        if (!Files.isRegularFile(PRODUCT_JVM_OPTIONS)) {
            throw new IOException(PRODUCT_JVM_OPTIONS.toAbsolutePath() + " not found: run the bench from the project's "
                    + "root (scripts/bench/run.sh does)");
        }
        // the JVM options `./flotilla server` runs with (an argument file), so the bench measures what users run
        List<String> jvm = new java.util.ArrayList<>(List.of("@" + PRODUCT_JVM_OPTIONS.toAbsolutePath(), "-Xmx" + heap,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        jvm.addAll(extraJvmOptions);
        if (jfr != null) {
            jvm.add("-XX:NativeMemoryTracking=summary");
            Files.createDirectories(jfr.getParent());
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfr.toAbsolutePath());
        }
        String classpath = System.getProperty("java.class.path");
        if (SERVER_JAR != null) {
            // the product's jar first, as `./flotilla server` runs it, so its class-data archive applies (the
            // archive's class path must be a prefix of this one); the bench's own classes after it
            classpath = SERVER_JAR + java.io.File.pathSeparator + classpath;
            if (SERVER_CLASS_ARCHIVE != null) {
                jvm.add("-XX:SharedArchiveFile=" + SERVER_CLASS_ARCHIVE);
                jvm.add("-Xlog:cds*=off");
            }
        }
        List<String> cmd = Processes.java(serverJavaHome(), cpus, jvm, classpath, FleetServerMain.class.getName(),
                List.of(Integer.toString(port), dataDir.toString(), certs.serverCertificate().toString(),
                        certs.serverKey().toString(), certs.ca().toString(), Integer.toString(worker)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // as ./flotilla sets it for long-running commands
        return pb.start();
    }

    /**
     * The JDK the Fleet Server JVMs run on: {@value #SERVER_JAVA_ENV} when set (to compare JVM releases with the
     * same code and load generators), else the bench's own.
     */
    static String serverJavaHome() {
        String home = System.getenv(SERVER_JAVA_ENV);
        if (home == null || home.isBlank()) {
            return System.getProperty("java.home");
        }
        if (!Files.isExecutable(Path.of(home, "bin", "java"))) {
            throw new IllegalArgumentException(SERVER_JAVA_ENV + "=" + home + " has no bin/java; give a JDK directory,"
                    + " e.g. /usr/lib/jvm/temurin-25-jdk-amd64");
        }
        return home;
    }

    /**
     * The product's jar ({@code -Dbench.server.jar}, set by scripts/bench/run.sh) and its class-data archive
     * ({@code -Dbench.server.class-archive}, scripts/lib/class-archive.sh): null when not given.
     */
    static final String SERVER_JAR = System.getProperty("bench.server.jar");
    static final String SERVER_CLASS_ARCHIVE = System.getProperty("bench.server.class-archive");

    /** What the server JVMs start from, for the report's note. */
    static String startsFrom() {
        if (SERVER_JAR == null) {
            return "the bench classpath, no class-data archive";
        }
        return "the product's jar" + (SERVER_CLASS_ARCHIVE == null ? " (no class-data archive)"
                : " and its class-data archive (scripts/lib/class-archive.sh)");
    }

    /** Environment variable: the JDK directory for the Fleet Server JVMs of the agents scenario. */
    static final String SERVER_JAVA_ENV = "BENCH_SERVER_JAVA_HOME";

    /** Waits for a launched server JVM to say it is ready. */
    static ServerProcess ready(Process p, Path log, int port) throws IOException {
        return new ServerProcess(p, log, port);
    }

    long pid() {
        return process.pid();
    }

    long rssKiB() {
        return Processes.rssKiB(process.pid());
    }

    /** Writes a new policy revision; returns its number. */
    long policy() throws IOException {
        send("policy");
        return Long.parseLong(expect("policy", Duration.ofSeconds(30)).split(" ")[1]);
    }

    /** [open connections, waiting check-ins]. */
    long[] stats() throws IOException {
        send("stats");
        String[] f = expect("stats", Duration.ofSeconds(60)).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    /** [open connections, waiting check-ins], without a GC. */
    long[] count() throws IOException {
        send("count");
        String[] f = expect("count", Duration.ofSeconds(60)).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])};
    }

    void requestStop() throws IOException {
        send("stop");
    }

    void awaitStop() {
        try {
            expect("stopped", Duration.ofSeconds(60));
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Processes.stop(process, Duration.ofSeconds(5));
        }
    }

    private void send(String command) throws IOException {
        channel.send(command);
    }

    private String expect(String prefix, Duration timeout) {
        return channel.expect(prefix, timeout);
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(15));
    }
}
