package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.UserError;
import dev.flotilla.tls.ClientTls;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Calls the management API with the admin key; an error answer becomes a {@link UserError} with the server's words.
 * Public for the quickstart, which sets the default output through it as a user would.
 */
public final class ManagementClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOP = "flotilla fleet -> management API";
    private final URI base;
    private final String key;
    private final HttpClient http;
    private final ClientTls tls;

    /** {@code base}: the management URL; {@code ca}: the CA to trust for it (null: the system's CAs). */
    public ManagementClient(String base, String key, Path ca) {
        try {
            this.base = URI.create(base.endsWith("/") ? base : base + "/");
        } catch (IllegalArgumentException e) {
            throw new UserError("'" + base + "' is not a URL; expected e.g. http://127.0.0.1:8221");
        }
        this.key = key;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        this.tls = "https".equalsIgnoreCase(this.base.getScheme()) ? clientTls(ca) : null;
        if (tls != null) {
            b.sslContext(tls.jdk()).sslParameters(tls.jdkParameters());
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
        } catch (SSLException e) { // only over https, so tls is set
            String words = tls.explain(e, base.getHost(), port(base)).getMessage();
            throw new UserError(words + (e instanceof SSLHandshakeException ? ". If the Fleet Server made its own"
                    + " certificate, pass --ca <its data directory>/certs/ca.crt (or --data-dir)" : ""), e);
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

    /** Verifies the management API's certificate as agents do: against --ca, or the system's CAs. */
    private static ClientTls clientTls(Path ca) {
        try {
            TlsSettings.Builder settings = TlsSettings.builder().source("flotilla fleet --ca");
            if (ca != null) {
                settings.certificateAuthorities(List.of(ca.toString()));
            }
            return ClientTls.create(settings.build(), HOP);
        } catch (IllegalArgumentException | TlsException e) {
            throw new UserError("cannot use --ca " + ca + ": " + e.getMessage(), e);
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : 443;
    }
}
