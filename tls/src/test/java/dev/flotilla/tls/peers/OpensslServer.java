package dev.flotilla.tls.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code openssl s_server -www} on an ephemeral port, killed by {@link #close()}. */
public final class OpensslServer implements AutoCloseable {

    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)");

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private OpensslServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code openssl s_server -accept 127.0.0.1:0 -www <args>} and waits for its port. */
    public static OpensslServer start(Path dir, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0", "-www",
                "-naccept", "50"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    Matcher m = ACCEPT.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IOException("openssl s_server exited: " + out));
        }, "s_server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            OpensslServer s = new OpensslServer(p, port.get(10, TimeUnit.SECONDS));
            s.output.append(out);
            return s;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("openssl s_server did not start: " + cmd + "\n" + out, e);
        }
    }

    public int port() {
        return port;
    }

    public String output() {
        return output.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Deadline helper for polling. */
    public static Instant deadline(Duration d) {
        return Instant.now().plus(d);
    }
}
