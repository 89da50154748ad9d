package dev.flotilla.tls.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer command (openssl s_client, curl) to completion with a time limit. */
public final class Command {

    /** Exit code and combined output. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Command() {
    }

    public static Result run(Path dir, List<String> cmd, String stdin) throws IOException, InterruptedException {
        Path out = java.nio.file.Files.createTempFile(dir, "peer", ".out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
        } catch (IOException e) {
            // the peer may exit before reading stdin (a failed handshake); its exit code tells
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new IOException("timed out: " + cmd + "\n" + java.nio.file.Files.readString(out));
        }
        String text = java.nio.file.Files.readString(out);
        java.nio.file.Files.delete(out);
        return new Result(p.exitValue(), text);
    }
}
