package dev.flotilla.testing.es;

import dev.flotilla.testing.es.internal.NodeProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a real single-node Elasticsearch with security on and HTTPS, for tests and the quickstart.
 *
 * <pre>{@code
 * try (ElasticsearchNode es = ElasticsearchLauncher.builder()
 *         .clientAuthentication("required")
 *         .user("writer", "secret-pw", OUTPUT_WRITER_ROLE)
 *         .start()) {
 *     es.uri(); es.serviceToken(); es.certificates().caFingerprint();
 * }
 * }</pre>
 *
 * The distribution is copied into a fresh directory under {@code /tmp} (every directory on the path readable by
 * the unprivileged user the node runs as when the tests run as root). A file service token for
 * {@code elastic/fleet-server} is made with {@code bin/elasticsearch-service-tokens}, file-realm users with
 * {@code bin/elasticsearch-users} and roles in {@code config/roles.yml}. Ports are ephemeral.
 */
public final class ElasticsearchLauncher {

    /** A least-privilege role for agents shipping events: create documents in logs-*, metrics-*, traces-*. */
    public static final String OUTPUT_WRITER_ROLE = "flotilla_output_writer";
    private static final String OUTPUT_WRITER_ROLE_YAML = """
            flotilla_output_writer:
              cluster: ["monitor"]
              indices:
                - names: ["logs-*", "metrics-*", "traces-*"]
                  privileges: ["auto_configure", "create_doc", "create_index"]
            """;
    private static final Pattern TOKEN_LINE = Pattern.compile("SERVICE_TOKEN (\\S+) = (\\S+)");

    private Path distribution;
    private String clientAuthentication = "none";
    private String heap = "512m";
    private Duration startupTimeout = Duration.ofMinutes(3);
    private ClusterCertificates certificates;
    private final List<String> tokenNames = new ArrayList<>(List.of("flotilla-test"));
    private final Map<String, String> roles = new LinkedHashMap<>();
    private final List<String[]> users = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    private ElasticsearchLauncher() {
        roles.put(OUTPUT_WRITER_ROLE, OUTPUT_WRITER_ROLE_YAML);
    }

    public static ElasticsearchLauncher builder() {
        return new ElasticsearchLauncher();
    }

    /** An unpacked distribution; default {@link ElasticsearchDistribution#home()}. */
    public ElasticsearchLauncher distribution(Path home) {
        this.distribution = Objects.requireNonNull(home, "home");
        return this;
    }

    /** {@code xpack.security.http.ssl.client_authentication}: none (default), optional or required. */
    public ElasticsearchLauncher clientAuthentication(String mode) {
        if (!List.of("none", "optional", "required").contains(mode)) {
            throw new IllegalArgumentException("clientAuthentication: " + mode + " (expected: none, optional, required)");
        }
        this.clientAuthentication = mode;
        return this;
    }

    /** JVM heap, e.g. {@code 512m} (default). */
    public ElasticsearchLauncher heap(String heap) {
        if (!heap.matches("\\d+[mg]")) {
            throw new IllegalArgumentException("heap: " + heap + " (expected: like 512m or 1g)");
        }
        this.heap = heap;
        return this;
    }

    public ElasticsearchLauncher startupTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout: " + timeout + " (expected: > 0)");
        }
        this.startupTimeout = timeout;
        return this;
    }

    /** Certificates to serve HTTPS with; by default a fresh CA and node certificate are made. */
    public ElasticsearchLauncher certificates(ClusterCertificates certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        return this;
    }

    /** Names of the {@code elastic/fleet-server} file tokens to create; default {@code [flotilla-test]}. */
    public ElasticsearchLauncher serviceTokens(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("serviceTokens: none (expected: at least one name)");
        }
        tokenNames.clear();
        tokenNames.addAll(List.of(names));
        return this;
    }

    /** A role for {@code config/roles.yml}, as YAML starting with {@code <name>:}. */
    public ElasticsearchLauncher role(String name, String yaml) {
        if (!yaml.startsWith(name + ":")) {
            throw new IllegalArgumentException("role " + name + ": YAML must start with '" + name + ":'");
        }
        roles.put(name, yaml.endsWith("\n") ? yaml : yaml + "\n");
        return this;
    }

    /** A file-realm user (password at least 6 characters) with the given roles. */
    public ElasticsearchLauncher user(String name, String password, String... roleNames) {
        if (password.length() < 6) {
            throw new IllegalArgumentException("user " + name + ": password too short (expected: >= 6 characters)");
        }
        users.add(new String[] {name, password, String.join(",", roleNames)});
        return this;
    }

    /** Any extra {@code elasticsearch.yml} setting. */
    public ElasticsearchLauncher setting(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** Prepares the node's directory, starts it and waits until its primary shards are assigned. */
    public ElasticsearchNode start() {
        Path home = distribution != null ? distribution : ElasticsearchDistribution.home();
        Path dir = createBaseDir();
        try {
            Path nodeHome = dir.resolve("home");
            copyTree(home, nodeHome);
            ClusterCertificates certs = certificates != null ? certificates
                    : ClusterCertificates.create(dir.resolve("certs"), "Flotilla Test Elasticsearch CA");
            Path config = nodeHome.resolve("config");
            Files.copy(certs.caCertificate(), config.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certs.nodeCertificate(), config.resolve("node.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certs.nodeKey(), config.resolve("node.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(config.resolve("elasticsearch.yml"), elasticsearchYml(dir), StandardCharsets.UTF_8);
            Files.writeString(config.resolve("roles.yml"), String.join("", roles.values()), StandardCharsets.UTF_8);
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String name : tokenNames) {
                tokens.put(name, createToken(nodeHome, name));
            }
            for (String[] user : users) {
                tool(nodeHome, "elasticsearch-users", "useradd", user[0], "-p", user[1], "-r", user[2]);
            }
            NodeProcess.handOver(dir);
            ElasticsearchNode node = new ElasticsearchNode(dir, nodeHome, certs, tokens, heap,
                    "required".equals(clientAuthentication), startupTimeout);
            try {
                node.start();
            } catch (RuntimeException | Error e) {
                node.close();
                throw e;
            }
            return node;
        } catch (IOException e) {
            ElasticsearchNode.deleteTree(dir);
            throw new UncheckedIOException("Cannot prepare Elasticsearch under " + dir, e);
        } catch (RuntimeException | Error e) {
            ElasticsearchNode.deleteTree(dir);
            throw e;
        }
    }

    private String elasticsearchYml(Path dir) {
        Map<String, String> yml = new LinkedHashMap<>();
        yml.put("cluster.name", "flotilla-test");
        yml.put("node.name", "node-1");
        yml.put("discovery.type", "single-node");
        yml.put("network.host", "127.0.0.1");
        yml.put("http.port", "0");
        yml.put("transport.port", "0");
        yml.put("node.portsfile", "true");
        yml.put("path.data", dir.resolve("data").toString());
        yml.put("path.logs", dir.resolve("logs").toString());
        yml.put("xpack.security.enabled", "true");
        yml.put("xpack.security.transport.ssl.enabled", "false");
        yml.put("xpack.security.http.ssl.enabled", "true");
        yml.put("xpack.security.http.ssl.certificate", "node.crt");
        yml.put("xpack.security.http.ssl.key", "node.key");
        yml.put("xpack.security.http.ssl.certificate_authorities", "[ca.crt]");
        yml.put("xpack.security.http.ssl.client_authentication", clientAuthentication);
        yml.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        yml.put("action.auto_create_index", "true");
        yml.putAll(settings);
        StringBuilder out = new StringBuilder("# written by Flotilla's ElasticsearchLauncher\n");
        yml.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }

    private static String createToken(Path nodeHome, String name) {
        String out = tool(nodeHome, "elasticsearch-service-tokens", "create", "elastic/fleet-server", name);
        Matcher m = TOKEN_LINE.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("elasticsearch-service-tokens printed no token: " + out);
        }
        return m.group(2);
    }

    private static String tool(Path nodeHome, String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(nodeHome.resolve("bin").resolve(tool).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(nodeHome.toFile()).redirectErrorStream(true);
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

    private static Path createBaseDir() {
        Path base = Path.of(System.getProperty("flotilla.es.tmp", "/tmp"));
        try {
            Path dir = Files.createTempDirectory(base, "flotilla-es-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory under " + base, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
