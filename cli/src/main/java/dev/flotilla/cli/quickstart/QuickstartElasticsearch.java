package dev.flotilla.cli.quickstart;

import dev.flotilla.cli.UserError;
import dev.flotilla.eslocal.ElasticsearchDistribution;
import dev.flotilla.eslocal.ElasticsearchLauncher;
import dev.flotilla.eslocal.ElasticsearchNode;
import dev.flotilla.eslocal.NodeCertificates;
import dev.flotilla.eslocal.internal.NodeProcess;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PrivateFiles;
import dev.flotilla.server.store.es.ElasticsearchFleetStore;
import dev.flotilla.server.store.es.ElasticsearchStoreConfig;
import dev.flotilla.tls.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quickstart's own Elasticsearch ({@code --with-elasticsearch}): one secured node on 127.0.0.1 whose HTTP
 * certificate the quickstart CA signs, a file service token for {@code elastic/fleet-server} (the Fleet Server
 * keeps its state in this cluster with it) and a least-privilege output user for the agents. Everything lives in
 * {@code <data-dir>/elasticsearch} (or, when that path is closed to the unprivileged user Elasticsearch runs as
 * under root, in {@code /var/tmp}) and is reused by the next run.
 */
final class QuickstartElasticsearch implements AutoCloseable {
    static final String DIR = "elasticsearch";
    static final String OUTPUT_USER = "flotilla-output";
    static final String TOKEN_NAME = "flotilla-quickstart";
    static final String PASSWORD_FILE = "output-user.password";
    /** A read-only user (built-in role {@code viewer}) to look at what agents shipped. */
    static final String VIEWER_USER = "flotilla-viewer";
    static final String VIEWER_PASSWORD_FILE = "viewer-user.password";
    static final int DEFAULT_PORT = 9200;

    private static final Logger LOG = LoggerFactory.getLogger(QuickstartElasticsearch.class);

    private final ElasticsearchNode node;
    private final ElasticsearchFleetStore store;
    private final URI url;
    private final String caFingerprint;
    private final Path passwordFile;
    private final boolean passwordCreated;

    private QuickstartElasticsearch(ElasticsearchNode node, ElasticsearchFleetStore store, URI url,
                                    String caFingerprint, Path passwordFile, boolean passwordCreated) {
        this.node = node;
        this.store = store;
        this.url = url;
        this.caFingerprint = caFingerprint;
        this.passwordFile = passwordFile;
        this.passwordCreated = passwordCreated;
    }

    /**
     * Starts (or restarts) the node and connects the Fleet Server's store to it; {@code log} hears each step.
     * A busy port, a missing CA key or a node that does not come up is a {@link UserError}.
     */
    static QuickstartElasticsearch start(Path data, Path caCertificate, Path caKey, int port, List<String> names,
                                         Consumer<String> log) {
        boolean root = NodeProcess.runningAsRoot();
        Path dir = directory(data, root, log);
        requireNoLeftover(dir);
        requireFreePort(port);
        if (!Files.isRegularFile(caKey)) {
            throw new UserError("--with-elasticsearch signs Elasticsearch's certificate with the quickstart CA, but its"
                    + " key " + caKey + " is missing; use a fresh --data-dir (or put the CA's key there)");
        }
        Path secrets = secretsDir(dir);
        Credential ca = Credential.of(Pem.readCertificates(caCertificate).get(0), Pem.readPrivateKey(caKey, null));
        List<String> dns = new ArrayList<>(new LinkedHashSet<>(names));
        dns.remove("localhost");
        dns.add(0, "localhost");
        NodeCertificates certs = NodeCertificates.signedBy(ca, caCertificate, secrets.resolve("certs"), dns,
                List.of("127.0.0.1"));
        Path passwordFile = secrets.resolve(PASSWORD_FILE);
        boolean created = ensurePassword(passwordFile);
        Path viewerPasswordFile = secrets.resolve(VIEWER_PASSWORD_FILE);
        ensurePassword(viewerPasswordFile);
        Path home = ElasticsearchDistribution.home(log);
        log.accept("Starting Elasticsearch " + ElasticsearchDistribution.version() + " from " + home + " in " + dir
                + " on https://127.0.0.1:" + port + (root ? " as uid " + NodeProcess.UNPRIVILEGED_ID
                + " (Elasticsearch refuses to run as root)" : "") + "; its console log: " + dir.resolve("logs")
                .resolve("console.log"));
        Instant begun = Instant.now();
        ElasticsearchNode node;
        try {
            node = ElasticsearchLauncher.builder().distribution(home).directory(dir, false)
                    .clusterName("flotilla-quickstart").httpPort(port).certificates(certs)
                    .serviceTokens(TOKEN_NAME).user(OUTPUT_USER, read(passwordFile), ElasticsearchLauncher.OUTPUT_WRITER_ROLE)
                    .user(VIEWER_USER, read(viewerPasswordFile), "viewer")
                    .start();
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new UserError("Elasticsearch did not start: " + e.getMessage(), e);
        }
        log.accept("Elasticsearch is up after " + Duration.between(begun, Instant.now()).toSeconds() + " s");
        URI url = URI.create("https://127.0.0.1:" + node.port());
        try {
            TlsSettings tls = TlsSettings.builder().source("quickstart --with-elasticsearch")
                    .addCertificateAuthority(caCertificate).build();
            ElasticsearchFleetStore store = ElasticsearchFleetStore.connect(ElasticsearchStoreConfig.of(url,
                    node.serviceToken(TOKEN_NAME), tls));
            return new QuickstartElasticsearch(node, store, url, certs.caFingerprint(), passwordFile, created);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /**
     * {@code <data>/elasticsearch}, unless this JVM runs as root and a directory on that path is closed to uid
     * 65534: then {@code /var/tmp/flotilla-quickstart-es-<hash of the path>}, the same on every run.
     */
    static Path directory(Path data, boolean root, Consumer<String> log) {
        Path preferred = data.toAbsolutePath().normalize().resolve(DIR);
        if (!root) {
            return preferred;
        }
        Path closed = closedToOthers(preferred.getParent());
        if (closed == null) {
            return preferred;
        }
        Path fallback = Path.of("/var/tmp", String.format("flotilla-quickstart-es-%08x", preferred.toString().hashCode()));
        log.accept("Elasticsearch runs as uid " + NodeProcess.UNPRIVILEGED_ID + " (it refuses root), which cannot"
                + " enter " + closed + "; its node lives in " + fallback + " instead (kept for the next run with this"
                + " --data-dir)");
        return fallback;
    }

    /** The first directory on the way to {@code dir} (from /) that others may not enter, or null. */
    static Path closedToOthers(Path dir) {
        List<Path> chain = new ArrayList<>();
        for (Path p = dir; p != null; p = p.getParent()) {
            chain.add(0, p);
        }
        for (Path p : chain) {
            if (!Files.exists(p)) {
                return null;
            }
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return p;
                }
            } catch (IOException e) {
                return p;
            }
        }
        return null;
    }

    /** A node of an earlier quickstart that was killed (not stopped) would hold the data directory's lock. */
    static void requireNoLeftover(Path dir) {
        NodeProcess.runningFrom(dir.resolve("home")).stream().findFirst().ifPresent(h -> {
            throw new UserError("an Elasticsearch of an earlier quickstart still runs from " + dir + " (pid " + h.pid()
                    + "; that quickstart was killed, not stopped): stop it with 'kill " + h.pid() + "' and run again");
        });
    }

    private static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
            throw new UserError("port " + port + " on 127.0.0.1 is in use (another Elasticsearch?): stop what listens"
                    + " there or choose another port with --elasticsearch-port=<port>");
        }
    }

    /** {@code <dir>/secrets} (mode 700, never handed to the node's user): node key, token, output password. */
    private static Path secretsDir(Path dir) {
        Path secrets = dir.resolve("secrets");
        try {
            Files.createDirectories(secrets);
            Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            return secrets;
        } catch (IOException e) {
            throw new UserError("cannot create " + secrets + " for the quickstart's Elasticsearch: " + e.getMessage()
                    + "; choose a writable --data-dir");
        }
    }

    /** Makes a random password in {@code file} (mode 600) unless there is one; returns whether it made one. */
    private static boolean ensurePassword(Path file) {
        if (Files.isRegularFile(file)) {
            return false;
        }
        PrivateFiles.writeNew(file, randomPassword().getBytes(StandardCharsets.UTF_8));
        return true;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code https://127.0.0.1:<port>}. */
    URI url() {
        return url;
    }

    ElasticsearchNode node() {
        return node;
    }

    ElasticsearchFleetStore store() {
        return store;
    }

    String caFingerprint() {
        return caFingerprint;
    }

    /** The output user's password file (mode 600). */
    Path passwordFile() {
        return passwordFile;
    }

    String outputPassword() {
        return read(passwordFile);
    }

    /** The viewer user's password file (mode 600). */
    Path viewerPasswordFile() {
        return passwordFile.resolveSibling(VIEWER_PASSWORD_FILE);
    }

    /** Whether this run made the output user's password (so the default output must learn it). */
    boolean passwordCreated() {
        return passwordCreated;
    }

    /** Closes the store, then stops the node (its directory stays for the next run). */
    @Override
    public void close() {
        try {
            store.close();
        } finally {
            node.close();
            LOG.info("Elasticsearch stopped; its data stays in {} for the next run", node.directory());
        }
    }
}
