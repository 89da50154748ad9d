package dev.flotilla.eslocal.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's own command-line tools on its {@code config/}: file service tokens
 * ({@code bin/elasticsearch-service-tokens}) and file-realm users ({@code bin/elasticsearch-users}).
 */
public final class NodeTools {

    private static final Pattern TOKEN_LINE = Pattern.compile("SERVICE_TOKEN (\\S+) = (\\S+)");
    private final Path home;

    public NodeTools(Path home) {
        this.home = home;
    }

    /** Creates the file token {@code elastic/fleet-server/<name>} and returns its secret (shown only now). */
    public String createFleetServerToken(String name) {
        if (hasFleetServerToken(name)) {
            run("elasticsearch-service-tokens", "delete", "elastic/fleet-server", name);
        }
        String out = run("elasticsearch-service-tokens", "create", "elastic/fleet-server", name);
        Matcher m = TOKEN_LINE.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("elasticsearch-service-tokens printed no token: " + out);
        }
        return m.group(2);
    }

    public boolean hasFleetServerToken(String name) {
        return hasLine("service_tokens", "elastic/fleet-server/" + name + ":");
    }

    /** Adds the file-realm user, replacing one of that name. */
    public void putUser(String name, String password, String roles) {
        if (hasUser(name)) {
            run("elasticsearch-users", "userdel", name);
        }
        run("elasticsearch-users", "useradd", name, "-p", password, "-r", roles);
    }

    public boolean hasUser(String name) {
        return hasLine("users", name + ":");
    }

    private boolean hasLine(String configFile, String prefix) {
        Path file = home.resolve("config").resolve(configFile);
        try {
            return Files.isRegularFile(file)
                    && Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(l -> l.startsWith(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private String run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve(tool).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("ES_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        try {
            Process p = pb.start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " " + args[0] + " failed: "
                        + new String(output, StandardCharsets.UTF_8));
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted running " + tool, e);
        }
    }
}
