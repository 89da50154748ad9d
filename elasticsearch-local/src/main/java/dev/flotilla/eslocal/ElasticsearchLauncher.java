package dev.flotilla.eslocal;

import dev.flotilla.eslocal.internal.NodeFiles;
import dev.flotilla.eslocal.internal.NodeProcess;
import dev.flotilla.eslocal.internal.NodeTools;
import dev.flotilla.eslocal.internal.PemSsl;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Starts a real single-node Elasticsearch with security on and HTTPS, for the quickstart and the tests.
 *
 * <pre>{@code
 * try (ElasticsearchNode es = ElasticsearchLauncher.builder()
 *         .certificates(NodeCertificates.signedBy(ca, caFile, dir, List.of("localhost"), List.of("127.0.0.1")))
 *         .user("writer", "secret-pw", OUTPUT_WRITER_ROLE)
 *         .start()) {
 *     es.uri(); es.serviceToken();
 * }
 * }</pre>
 *
 * <p>The node lives in one directory: {@code home/} (a copy of the distribution, with its {@code config/}),
 * {@code data/}, {@code logs/}, {@code tmp/}, and {@code secrets/} (mode 700, never handed to the node's user:
 * the service tokens' secrets and a hash of each user's settings). By default that is a fresh directory under
 * {@code /tmp} deleted on {@link ElasticsearchNode#close()}; with {@link #directory(Path, boolean)} it is kept and
 * a later start reuses it: the same data, the same tokens, users re-made only when their password or roles
 * changed. Elasticsearch refuses to run as root: then the node runs as uid/gid 65534 (every directory on the
 * path must be readable by it). A file service token for {@code elastic/fleet-server} is made with
 * {@code bin/elasticsearch-service-tokens}, file-realm users with {@code bin/elasticsearch-users}, roles go to
 * {@code config/roles.yml}.
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
    private static final String DISTRIBUTION_MARKER = ".flotilla-distribution";

    private Path distribution;
    private Path directory;
    private boolean deleteOnClose = true;
    private int httpPort;
    private String clusterName = "flotilla-test";
    private String clientAuthentication = "none";
    private String heap = "512m";
    private Duration startupTimeout = Duration.ofMinutes(3);
    private NodeCertificates certificates;
    private SSLContext clientContext;
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

    /** A fresh directory (mode 700) under {@code flotilla.es.tmp} (default {@code /tmp}) for a throw-away node. */
    public static Path temporaryDirectory() {
        Path base = Path.of(System.getProperty("flotilla.es.tmp", "/tmp"));
        try {
            Path dir = Files.createTempDirectory(base, "flotilla-es-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory under " + base, e);
        }
    }

    /** An unpacked distribution; default {@link ElasticsearchDistribution#home()}. */
    public ElasticsearchLauncher distribution(Path home) {
        this.distribution = Objects.requireNonNull(home, "home");
        return this;
    }

    /** The node's directory; kept (and reused by the next start) unless {@code deleteOnClose}. */
    public ElasticsearchLauncher directory(Path dir, boolean deleteOnClose) {
        this.directory = dir.toAbsolutePath().normalize();
        this.deleteOnClose = deleteOnClose;
        return this;
    }

    /** HTTPS port on 127.0.0.1; 0 (default) for an ephemeral one. */
    public ElasticsearchLauncher httpPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("httpPort: " + port + " (expected: 0..65535)");
        }
        this.httpPort = port;
        return this;
    }

    public ElasticsearchLauncher clusterName(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("clusterName: " + name + " (expected: letters, digits, _ and -)");
        }
        this.clusterName = name;
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

    /** The files to serve HTTPS with (required). */
    public ElasticsearchLauncher certificates(NodeCertificates certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        return this;
    }

    /** How the node's own health checks connect; default: trusting the certificates' CA, no client certificate. */
    public ElasticsearchLauncher clientContext(SSLContext context) {
        this.clientContext = Objects.requireNonNull(context, "context");
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

    /** Prepares (or reuses) the node's directory, starts it and waits until its primary shards are assigned. */
    public ElasticsearchNode start() {
        if (certificates == null) {
            throw new IllegalStateException("certificates: not set (expected: the node's CA, certificate and key)");
        }
        Path home = distribution != null ? distribution : ElasticsearchDistribution.home();
        Path dir = directory != null ? directory : temporaryDirectory();
        try {
            Path nodeHome = dir.resolve("home");
            copyDistribution(home, nodeHome);
            Path config = nodeHome.resolve("config");
            Files.copy(certificates.caCertificate(), config.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certificates.nodeCertificate(), config.resolve("node.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(certificates.nodeKey(), config.resolve("node.key"), StandardCopyOption.REPLACE_EXISTING);
            for (String sub : List.of("data", "logs", "tmp")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Path secrets = privateDirectory(dir.resolve("secrets"));
            Files.writeString(config.resolve("elasticsearch.yml"), elasticsearchYml(dir), StandardCharsets.UTF_8);
            Files.writeString(config.resolve("roles.yml"), String.join("", roles.values()), StandardCharsets.UTF_8);
            NodeTools tools = new NodeTools(nodeHome);
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String name : tokenNames) {
                tokens.put(name, token(tools, secrets, name));
            }
            for (String[] user : users) {
                putUser(tools, secrets, user);
            }
            handOver(dir);
            SSLContext context = clientContext != null ? clientContext
                    : PemSsl.context(certificates.caCertificate(), null, null);
            ElasticsearchNode node = new ElasticsearchNode(dir, nodeHome, tokens, heap, httpPort, context,
                    startupTimeout, deleteOnClose);
            try {
                node.start();
            } catch (RuntimeException | Error e) {
                node.close();
                throw e;
            }
            return node;
        } catch (IOException e) {
            cleanUp(dir);
            throw new UncheckedIOException("Cannot prepare Elasticsearch under " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            cleanUp(dir);
            throw e;
        }
    }

    private void cleanUp(Path dir) {
        if (deleteOnClose) {
            NodeFiles.deleteTree(dir);
        }
    }

    /** Copies the distribution unless this directory already holds a copy of the same one. */
    private static void copyDistribution(Path from, Path nodeHome) throws IOException {
        Path marker = nodeHome.resolve(DISTRIBUTION_MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).equals(from.toString())) {
            return;
        }
        if (Files.exists(nodeHome)) {
            throw new IllegalStateException(nodeHome + " holds an Elasticsearch copied from elsewhere than " + from
                    + " (see " + marker + "); move that directory away to start afresh");
        }
        NodeFiles.copyTree(from, nodeHome);
        Files.writeString(marker, from.toString(), StandardCharsets.UTF_8);
    }

    private static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** The token's secret kept in {@code secrets/}; made (again) when the secret or the node's entry is missing. */
    private static String token(NodeTools tools, Path secrets, String name) throws IOException {
        Path file = secrets.resolve("service-token-" + name);
        if (Files.isRegularFile(file) && tools.hasFleetServerToken(name)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String token = tools.createFleetServerToken(name);
        Files.deleteIfExists(file);
        PrivateFiles.writeNew(file, token.getBytes(StandardCharsets.UTF_8));
        return token;
    }

    /** Adds the user unless the node has it already with the same password and roles. */
    private static void putUser(NodeTools tools, Path secrets, String[] user) throws IOException {
        Path file = secrets.resolve("user-" + user[0] + ".sha256");
        String hash = sha256(user[0] + "\n" + user[1] + "\n" + user[2]);
        if (tools.hasUser(user[0]) && Files.isRegularFile(file)
                && Files.readString(file, StandardCharsets.UTF_8).equals(hash)) {
            return;
        }
        tools.putUser(user[0], user[1], user[2]);
        Files.deleteIfExists(file);
        PrivateFiles.writeNew(file, hash.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As root, the node's files go to the unprivileged user; {@code secrets/} stays root's. */
    private static void handOver(Path dir) throws IOException {
        if (!NodeProcess.runningAsRoot()) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        for (String sub : List.of("home", "data", "logs", "tmp")) {
            NodeProcess.handOver(dir.resolve(sub));
        }
    }

    private String elasticsearchYml(Path dir) {
        Map<String, String> yml = new LinkedHashMap<>();
        yml.put("cluster.name", clusterName);
        yml.put("node.name", "node-1");
        yml.put("discovery.type", "single-node");
        yml.put("network.host", "127.0.0.1");
        yml.put("http.port", Integer.toString(httpPort));
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
        StringBuilder out = new StringBuilder("# written by Flotilla's ElasticsearchLauncher on every start\n");
        yml.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        return out.toString();
    }
}
