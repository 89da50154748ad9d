package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.UserError;
import dev.flotilla.pki.Pem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls the management API with the admin key; an error answer becomes a {@link UserError} with the server's words.
 * Public for the quickstart, which sets the default output through it as a user would.
 */
public final class ManagementClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String key;
    private final HttpClient http;

    /** {@code base}: the management URL; {@code ca}: the CA to trust for it (null: the JDK's). */
    public ManagementClient(String base, String key, Path ca) {
        try {
            this.base = URI.create(base.endsWith("/") ? base : base + "/");
        } catch (IllegalArgumentException e) {
            throw new UserError("'" + base + "' is not a URL; expected e.g. http://127.0.0.1:8221");
        }
        this.key = key;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (ca != null) {
            b.sslContext(trusting(ca));
        }
        this.http = b.build();
    }

    static String urlFromDataDir(Path dir) {
        Path file = dir.resolve("management.json");
        try {
            JsonNode n = JSON.readTree(Files.readString(file));
            String url = n.path("url").asText("");
            if (url.isEmpty()) {
                throw new UserError(file + " holds no url; restart the Fleet Server to rewrite it");
            }
            return url;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + e.getMessage() + "): is " + dir + " the Fleet Server's"
                    + " data directory, and is its management API enabled? Or pass --management-url");
        }
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    JsonNode send(String method, String path, Object body) {
        URI uri = base.resolve(path.startsWith("/") ? path.substring(1) : path);
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "ApiKey " + key)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (body != null) {
                r.header("Content-Type", "application/json");
            }
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = resp.body().isEmpty() ? JSON.createObjectNode() : parse(resp.body(), uri);
            if (resp.statusCode() >= 400) {
                String message = json.path("message").asText(resp.body());
                throw new UserError(method + " " + uri.getPath() + " failed (" + resp.statusCode() + "): " + message);
            }
            return json;
        } catch (ConnectException e) {
            throw new UserError("cannot reach the Fleet management API at " + base + ": connection refused; is the"
                    + " Fleet Server running with its management API enabled?");
        } catch (SSLHandshakeException e) {
            throw new UserError("TLS handshake with " + base + " failed (" + e.getMessage() + "); pass --ca with the"
                    + " CA that signed the Fleet Server certificate");
        } catch (IOException e) {
            throw new UserError("calling " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted while calling " + uri);
        }
    }

    private static JsonNode parse(String body, URI uri) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UserError(uri + " did not answer JSON; is --management-url the management API (not the agent API)?");
        }
    }

    private static SSLContext trusting(Path ca) {
        try {
            List<X509Certificate> certs = Pem.readCertificates(ca);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("ca-" + i, certs.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new UserError("cannot use --ca " + ca + ": " + e.getMessage());
        }
    }
}
