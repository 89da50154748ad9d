package dev.flotilla.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code curl} against the server. */
final class Curl {
    /** curl's exit code (0 ok, 35/60/56... TLS failures), the HTTP status (0 when none) and the body. */
    record Result(int exit, int status, String body, String stderr) {
    }

    private Curl() {
    }

    static Result run(Path workDir, String url, List<String> options) throws IOException, InterruptedException {
        Path body = Files.createTempFile(workDir, "curl", ".body");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-o", body.toString(), "-w",
                "%{http_code}"));
        cmd.addAll(options);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectError(workDir.resolve("curl.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl did not finish: " + cmd);
        }
        String err = Files.readString(workDir.resolve("curl.err"));
        int status = out.matches("\\d+") ? Integer.parseInt(out) : 0;
        return new Result(p.exitValue(), status, Files.readString(body), err);
    }
}
