package dev.flotilla.testing.es;

import dev.flotilla.eslocal.NodeCertificates;
import dev.flotilla.eslocal.internal.NodeFiles;
import dev.flotilla.eslocal.internal.PemSsl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Starts a real single-node Elasticsearch for a test: {@link dev.flotilla.eslocal.ElasticsearchLauncher} in a
 * throw-away directory under {@code /tmp}, with a fresh test CA, a node certificate and a client certificate
 * ({@link ClusterCertificates}) unless given some, on an ephemeral port.
 *
 * <pre>{@code
 * try (ElasticsearchNode es = ElasticsearchLauncher.builder()
 *         .clientAuthentication("required")
 *         .user("writer", "secret-pw", OUTPUT_WRITER_ROLE)
 *         .start()) {
 *     es.uri(); es.serviceToken(); es.certificates().caFingerprint();
 * }
 * }</pre>
 */
public final class ElasticsearchLauncher {

    /** A least-privilege role for agents shipping events: create documents in logs-*, metrics-*, traces-*. */
    public static final String OUTPUT_WRITER_ROLE = dev.flotilla.eslocal.ElasticsearchLauncher.OUTPUT_WRITER_ROLE;

    private final dev.flotilla.eslocal.ElasticsearchLauncher local = dev.flotilla.eslocal.ElasticsearchLauncher.builder();
    private ClusterCertificates certificates;
    private boolean clientCertificateRequired;

    private ElasticsearchLauncher() {
    }

    public static ElasticsearchLauncher builder() {
        return new ElasticsearchLauncher();
    }

    /** An unpacked distribution; default {@link dev.flotilla.eslocal.ElasticsearchDistribution#home()}. */
    public ElasticsearchLauncher distribution(Path home) {
        local.distribution(home);
        return this;
    }

    /** {@code xpack.security.http.ssl.client_authentication}: none (default), optional or required. */
    public ElasticsearchLauncher clientAuthentication(String mode) {
        local.clientAuthentication(mode);
        clientCertificateRequired = "required".equals(mode);
        return this;
    }

    /** JVM heap, e.g. {@code 512m} (default). */
    public ElasticsearchLauncher heap(String heap) {
        local.heap(heap);
        return this;
    }

    public ElasticsearchLauncher startupTimeout(Duration timeout) {
        local.startupTimeout(timeout);
        return this;
    }

    /** Certificates to serve HTTPS with; by default a fresh CA and node certificate are made. */
    public ElasticsearchLauncher certificates(ClusterCertificates certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        return this;
    }

    /** Names of the {@code elastic/fleet-server} file tokens to create; default {@code [flotilla-test]}. */
    public ElasticsearchLauncher serviceTokens(String... names) {
        local.serviceTokens(names);
        return this;
    }

    /** A role for {@code config/roles.yml}, as YAML starting with {@code <name>:}. */
    public ElasticsearchLauncher role(String name, String yaml) {
        local.role(name, yaml);
        return this;
    }

    /** A file-realm user (password at least 6 characters) with the given roles. */
    public ElasticsearchLauncher user(String name, String password, String... roleNames) {
        local.user(name, password, roleNames);
        return this;
    }

    /** Any extra {@code elasticsearch.yml} setting. */
    public ElasticsearchLauncher setting(String key, String value) {
        local.setting(key, value);
        return this;
    }

    /** Prepares the node's directory, starts it and waits until its primary shards are assigned. */
    public ElasticsearchNode start() {
        Path dir = dev.flotilla.eslocal.ElasticsearchLauncher.temporaryDirectory();
        try {
            ClusterCertificates certs = certificates != null ? certificates
                    : ClusterCertificates.create(dir.resolve("certs"), "Flotilla Test Elasticsearch CA");
            local.directory(dir, true)
                    .certificates(new NodeCertificates(certs.caCertificate(), certs.nodeCertificate(), certs.nodeKey()))
                    .clientContext(PemSsl.context(certs.caCertificate(), certs.clientCertificate(), certs.clientKey()));
            return new ElasticsearchNode(local.start(), certs, clientCertificateRequired);
        } catch (RuntimeException | Error e) {
            NodeFiles.deleteTree(dir);
            throw e;
        }
    }
}
