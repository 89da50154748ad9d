package dev.flotilla.testing.es;

import dev.flotilla.eslocal.internal.PemSsl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * A running test Elasticsearch node started by {@link ElasticsearchLauncher}: a
 * {@link dev.flotilla.eslocal.ElasticsearchNode} with the test certificates it serves and accepts.
 * {@link #stop()} and {@link #start()} take it down and bring it back on the same port with the same data (a
 * cluster outage); {@link #close()} stops it and deletes its directory.
 */
public final class ElasticsearchNode implements AutoCloseable {

    private final dev.flotilla.eslocal.ElasticsearchNode node;
    private final ClusterCertificates certificates;
    private final boolean clientCertificateRequired;

    ElasticsearchNode(dev.flotilla.eslocal.ElasticsearchNode node, ClusterCertificates certificates,
                      boolean clientCertificateRequired) {
        this.node = node;
        this.certificates = certificates;
        this.clientCertificateRequired = clientCertificateRequired;
    }

    /** {@code https://localhost:<port>}. */
    public URI uri() {
        return node.uri();
    }

    public int port() {
        return node.port();
    }

    public ClusterCertificates certificates() {
        return certificates;
    }

    /** The first {@code elastic/fleet-server} service token (in the order the launcher was given them). */
    public String serviceToken() {
        return node.serviceToken();
    }

    public String serviceToken(String name) {
        return node.serviceToken(name);
    }

    public boolean clientCertificateRequired() {
        return clientCertificateRequired;
    }

    /** The node's home directory (its {@code bin/} tools and {@code config/}). */
    public Path home() {
        return node.home();
    }

    /** Trusts the cluster's CA, and presents the client certificate when {@code withClientCertificate}. */
    public SSLContext sslContext(boolean withClientCertificate) {
        return withClientCertificate
                ? PemSsl.context(certificates.caCertificate(), certificates.clientCertificate(), certificates.clientKey())
                : PemSsl.context(certificates.caCertificate(), null, null);
    }

    /** A JDK HTTP client that trusts the cluster and presents the client certificate. */
    public HttpClient httpClient() {
        return node.httpClient();
    }

    /** GET {@code path} with the service token; returns status and body. */
    public HttpResponse<String> get(String path) {
        return node.get(path);
    }

    /** Sends a request (authorized by the service token unless it has an Authorization header). */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        return node.send(request);
    }

    /** Starts the node again (same port, same data) after {@link #stop()}. */
    public void start() {
        node.start();
    }

    /** Stops the node (its data stays, {@link #start()} brings it back on the same port). */
    public void stop() {
        node.stop();
    }

    public boolean isRunning() {
        return node.isRunning();
    }

    @Override
    public void close() {
        node.close();
    }

    @Override
    public String toString() {
        return node.toString();
    }
}
