package dev.flotilla.eslocal;

import dev.flotilla.eslocal.internal.NodeFiles;
import dev.flotilla.eslocal.internal.NodeProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A running Elasticsearch node started by {@link ElasticsearchLauncher}. {@link #stop()} and {@link #start()}
 * take it down and bring it back on the same port with the same data (a cluster outage, or the quickstart's next
 * run); {@link #close()} stops it and, for a throw-away node, deletes its directory.
 */
public final class ElasticsearchNode implements AutoCloseable {

    private final Path dir;
    private final Path home;
    private final Map<String, String> tokens;
    private final String heap;
    private final SSLContext sslContext;
    private final Duration startupTimeout;
    private final boolean deleteOnClose;
    private Thread cleanupOnExit;
    private NodeProcess process;
    private int port;

    ElasticsearchNode(Path dir, Path home, Map<String, String> tokens, String heap, int port, SSLContext sslContext,
                      Duration startupTimeout, boolean deleteOnClose) {
        this.dir = dir;
        this.home = home;
        this.tokens = Collections.unmodifiableMap(new LinkedHashMap<>(tokens));
        this.heap = heap;
        this.port = port;
        this.sslContext = sslContext;
        this.startupTimeout = startupTimeout;
        this.deleteOnClose = deleteOnClose;
        this.cleanupOnExit = new Thread(this::stopAndDelete, "es-node-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /** {@code https://localhost:<port>}. */
    public URI uri() {
        return URI.create("https://localhost:" + port);
    }

    public int port() {
        return port;
    }

    /** The first {@code elastic/fleet-server} service token (in the order the launcher was given them). */
    public String serviceToken() {
        return tokens.values().iterator().next();
    }

    public String serviceToken(String name) {
        String token = tokens.get(name);
        if (token == null) {
            throw new IllegalArgumentException("No service token named " + name + " (have " + tokens.keySet() + ")");
        }
        return token;
    }

    /** The node's home directory (its {@code bin/} tools and {@code config/}). */
    public Path home() {
        return home;
    }

    /** The node's directory ({@code home/}, {@code data/}, {@code logs/}, {@code secrets/}). */
    public Path directory() {
        return dir;
    }

    /** The node's console output ({@code logs/console.log}). */
    public Path consoleLog() {
        return dir.resolve("logs").resolve("console.log");
    }

    /** A JDK HTTP client that connects as the node's own health checks do. */
    public HttpClient httpClient() {
        return HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** GET {@code path} with the service token; returns status and body. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri().resolve(path)).GET());
    }

    /** Sends a request (authorized by the service token unless it has an Authorization header). */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        HttpRequest.Builder withAuth = HttpRequest.newBuilder(built, (name, value) -> true)
                .timeout(Duration.ofSeconds(30));
        if (built.headers().firstValue("Authorization").isEmpty()) {
            withAuth.header("Authorization", "Bearer " + serviceToken());
        }
        try {
            return httpClient().send(withAuth.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch at " + uri() + " did not answer " + built.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts (or restarts, on the same port) the node and waits until every primary shard is assigned
     * (yellow: a single node never places replicas, so indices made with replicas stay yellow).
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        Path logs = dir.resolve("logs");
        NodeFiles.deleteQuietly(logs.resolve("http.ports"));
        Path console = consoleLog();
        List<String> command = port == 0
                ? List.of(home.resolve("bin/elasticsearch").toString())
                : List.of(home.resolve("bin/elasticsearch").toString(), "-Ehttp.port=" + port);
        process = NodeProcess.start(command, home, cleanupOnExit != null, Map.of(
                "ES_JAVA_HOME", System.getProperty("java.home"),
                "ES_TMPDIR", dir.resolve("tmp").toString(),
                "ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap + " -XX:-AlwaysPreTouch"), console);
        Instant deadline = Instant.now().plus(startupTimeout);
        try {
            port = awaitPort(logs.resolve("http.ports"), console, deadline);
            awaitHealthy(console, deadline);
        } catch (RuntimeException e) {
            process.stop(10);
            throw e;
        }
    }

    /** Stops the node (its data stays, {@link #start()} brings it back on the same port). */
    public synchronized void stop() {
        if (process != null) {
            process.stop(30);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * From now on the caller stops the node in its own shutdown hook, in its own order (e.g. after the Fleet Server
     * that uses it): the node's exit hooks go. Until this call, a JVM exit stops the node, so none is left behind
     * even when the JVM is told to stop while the node is still starting.
     */
    public synchronized void detachFromExit() {
        if (!removeExitHook()) {
            return;
        }
        cleanupOnExit = null;
        if (process != null) {
            process.detachFromExit();
        }
    }

    /** Stops the node; a throw-away node's directory is deleted, a kept one stays for the next start. */
    @Override
    public synchronized void close() {
        removeExitHook(); // when the JVM is already exiting, the hook is running and does the same
        stopAndDelete();
    }

    /** Removes the exit hook if there is one; false when the JVM is already exiting (the hook runs). */
    private boolean removeExitHook() {
        if (cleanupOnExit == null) {
            return true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** Also run when the JVM exits without closing the node, so no node (or throw-away directory) is left behind. */
    private synchronized void stopAndDelete() {
        stop();
        if (deleteOnClose) {
            NodeFiles.deleteTree(dir);
        }
    }

    private int awaitPort(Path portsFile, Path console, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            failIfDead(console);
            try {
                if (Files.isRegularFile(portsFile)) {
                    String first = Files.readAllLines(portsFile, StandardCharsets.UTF_8).get(0).strip();
                    return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
                }
            } catch (IOException | IndexOutOfBoundsException | NumberFormatException stillWriting) {
                // the node writes the file once; read again on the next turn
            }
            pause();
        }
        throw new IllegalStateException("Elasticsearch did not open its HTTP port within " + startupTimeout
                + "; last lines of " + console + ":\n" + NodeProcess.tail(console, 30));
    }

    private void awaitHealthy(Path console, Instant deadline) {
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            failIfDead(console);
            try {
                HttpResponse<String> health = get("/_cluster/health?wait_for_status=yellow&timeout=2s");
                if (health.statusCode() == 200) {
                    return;
                }
                last = health.statusCode() + " " + health.body();
            } catch (UncheckedIOException e) {
                last = String.valueOf(e.getCause());
            }
            pause();
        }
        throw new IllegalStateException("Elasticsearch at " + uri() + " was not healthy (yellow or green) within " + startupTimeout
                + " (last answer: " + last + "); last lines of " + console + ":\n" + NodeProcess.tail(console, 30));
    }

    private void failIfDead(Path console) {
        if (!process.isAlive()) {
            throw new IllegalStateException("Elasticsearch exited during startup; last lines of " + console + ":\n"
                    + NodeProcess.tail(console, 40));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for Elasticsearch", e);
        }
    }

    @Override
    public String toString() {
        return "ElasticsearchNode[" + uri() + ", dir=" + dir + "]";
    }
}
