package dev.flotilla.cli.certutil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An {@code openssl s_server} or {@code s_client} process whose output is collected as it runs. */
final class OpensslPeer implements AutoCloseable {

    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();

    private OpensslPeer(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    static OpensslPeer start(Path dir, String stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        return new OpensslPeer(p);
    }

    /** Waits (bounded) for s_server's "ACCEPT host:port" line and returns the port. */
    int awaitPort() throws InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Matcher m = ACCEPT.matcher(out.toString() + err);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("openssl s_server did not start listening:\n" + out + err);
    }

    /** Waits (bounded) for the process to end and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl did not finish in " + TIMEOUT + ":\n" + out + err);
        }
        // let the pumps drain what the process wrote last
        Instant deadline = Instant.now().plusSeconds(5);
        int last = -1;
        while (Instant.now().isBefore(deadline) && last != out.length() + err.length()) {
            last = out.length() + err.length();
            Thread.sleep(20);
        }
        return process.exitValue();
    }

    String stdout() {
        return out.toString();
    }

    String output() {
        return out + "\n" + err;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static void pump(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                into.append("\n[read failed: ").append(e.getMessage()).append(']');
            }
        }, "openssl-output");
        t.setDaemon(true);
        t.start();
    }
}
