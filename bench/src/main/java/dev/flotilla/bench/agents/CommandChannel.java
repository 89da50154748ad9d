package dev.flotilla.bench.agents;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The line protocol with a child JVM of the bench ({@link FleetServerMain}, {@link LoadGeneratorMain}): commands
 * on its stdin, one answer line each on its stdout, an answer starting {@code error } a failure.
 */
final class CommandChannel {
    private final Process process;
    private final Path log;
    private final String who;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** {@code who} names the process in errors ("the Fleet Server"), {@code log} is where its stderr goes. */
    CommandChannel(Process process, Path log, String who) {
        this.process = process;
        this.log = log;
        this.who = who;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "bench-child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** The next answer line that is {@code prefix} or starts with {@code prefix + " "}; other lines are skipped. */
    String expect(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && (line.startsWith(prefix + " ") || prefix.equals(line))) {
                    return line;
                }
                if (line != null && line.startsWith("error ")) {
                    throw new IllegalStateException(who + " said: " + line + "; see " + log);
                }
                if (line == null && !process.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(who + " did not answer '" + prefix + "' within " + timeout
                + (process.isAlive() ? "" : " (it exited " + process.exitValue() + ")") + "; see " + log);
    }
}
