package dev.flotilla.cli.server.es;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.UserError;
import dev.flotilla.tls.ClientTls;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import dev.flotilla.tls.VerificationMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla fleet service-token create}: asks the cluster for an {@code elastic/fleet-server} token
 * ({@code POST /_security/service/elastic/fleet-server/credential/token/<name>}) as a user allowed to
 * ({@code manage_service_account}); prints the token alone on standard output. Where the cluster cannot make one
 * (no security index, e.g. a minimal distribution), says how to make a file token with the cluster's own tool.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create an elastic/fleet-server service token in Elasticsearch and print it.",
                "Needs a user with the manage_service_account privilege (e.g. elastic)."})
public final class ServiceTokenCreateCommand implements Callable<Integer> {

    private static final HttpClient.Version HTTP_1_1 = HttpClient.Version.HTTP_1_1;

    @Spec
    CommandSpec spec;

    @Option(names = "--es", paramLabel = "<url>", required = true, description = "Elasticsearch URL (https://host:9200)")
    URI es;

    @Option(names = "--es-ca", paramLabel = "<file>", description = "CA certificate (PEM) of Elasticsearch")
    Path ca;

    @Option(names = "--es-ca-trusted-fingerprint", paramLabel = "<hex>", description = "SHA-256 (hex) of Elasticsearch's CA")
    String fingerprint;

    @Option(names = "--es-cert", paramLabel = "<file>", description = "Client certificate (PEM) if the cluster requires one")
    Path certificate;

    @Option(names = "--es-cert-key", paramLabel = "<file>", description = "Key (PEM) of --es-cert")
    Path certificateKey;

    @Option(names = "--es-insecure", description = "Do not verify Elasticsearch's certificate (testing only)")
    boolean insecure;

    @Option(names = "--username", paramLabel = "<user>", defaultValue = "elastic",
            description = "User with manage_service_account (default: ${DEFAULT-VALUE})")
    String username;

    @Option(names = "--password-path", paramLabel = "<file>", required = true,
            description = "File holding only that user's password")
    Path passwordPath;

    @Option(names = "--name", paramLabel = "<name>", description = "Token name (default: flotilla-<date-time>)")
    String name;

    @Override
    public Integer call() {
        String tokenName = name != null ? name
                : "flotilla-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (!tokenName.matches("[A-Za-z0-9_-]{1,256}") || tokenName.startsWith("_")) {
            throw new UserError("--name " + tokenName + ": use letters, digits, '-' and '_' (not starting with '_')");
        }
        HttpResponse<String> response = send(tokenName);
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200 && body.path("token").hasNonNull("value")) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(body.path("token").path("value").asText());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("Created service token elastic/fleet-server/" + tokenName + "; pass it to the Fleet Server in "
                    + "a file: --fleet-server-service-token-path <file> (mode 600).");
            err.flush();
            return ExitCodes.OK;
        }
        throw new UserError(explain(response.statusCode(), body, tokenName));
    }

    private String explain(int status, JsonNode body, String tokenName) {
        String reason = body.path("error").path("reason").asText(body.toString());
        return switch (status) {
            case 401 -> es + " rejected user " + username + " (HTTP 401): check --username and --password-path.";
            case 403 -> es + " refused (HTTP 403): user " + username + " lacks the manage_service_account privilege ("
                    + reason + "). Use a user that has it, e.g. elastic.";
            default -> es + " could not create a service token (HTTP " + status + ": " + reason + ").\n"
                    + fileTokenGuidance(tokenName);
        };
    }

    /** How to make a file token when the cluster cannot store one. */
    static String fileTokenGuidance(String tokenName) {
        return "Make a file-backed token instead, with the cluster's own tool, on every Elasticsearch node:\n"
                + "  bin/elasticsearch-service-tokens create elastic/fleet-server " + tokenName + "\n"
                + "It prints 'SERVICE_TOKEN elastic/fleet-server/" + tokenName + " = <token>'; nodes pick up "
                + "config/service_tokens without a restart. Put <token> alone in a file (mode 600) and start the "
                + "Fleet Server with --fleet-server-service-token-path <file>.";
    }

    private HttpResponse<String> send(String tokenName) {
        String password = password();
        HttpClient.Builder client = HttpClient.newBuilder().version(HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        ClientTls tls = null;
        if ("https".equalsIgnoreCase(es.getScheme())) {
            tls = ClientTls.create(tlsSettings(), "flotilla fleet service-token -> Elasticsearch");
            client.sslContext(tls.jdk()).sslParameters(tls.jdkParameters());
        }
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(es.resolve("/_security/service/elastic/fleet-server/credential/token/"
                        + tokenName)).timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            return client.build().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (tls != null && e instanceof SSLException) {
                throw new UserError(tls.explain(e, (javax.net.ssl.SSLEngine) null, es.getHost(), es.getPort())
                        .getMessage(), e);
            }
            throw new UserError("cannot reach " + es + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted", e);
        }
    }

    private TlsSettings tlsSettings() {
        try {
            TlsSettings.Builder b = TlsSettings.builder().source("flotilla fleet service-token flags");
            if (ca != null) {
                b.certificateAuthorities(List.of(ca.toString()));
            }
            if (fingerprint != null) {
                b.caTrustedFingerprint(fingerprint);
            }
            if (certificate != null || certificateKey != null) {
                if (certificate == null || certificateKey == null) {
                    throw new UserError("--es-cert and --es-cert-key go together; give both");
                }
                b.certificate(certificate).key(certificateKey);
            }
            if (insecure) {
                b.verificationMode(VerificationMode.NONE);
            }
            return b.build();
        } catch (IllegalArgumentException | TlsException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private String password() {
        try {
            String p = Files.readString(passwordPath, StandardCharsets.UTF_8);
            p = p.endsWith("\n") ? p.substring(0, p.length() - 1) : p;
            if (p.isEmpty()) {
                throw new UserError("--password-path " + passwordPath + " is empty");
            }
            return p;
        } catch (IOException e) {
            throw new UserError("cannot read --password-path " + passwordPath + ": " + e, e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return new ObjectMapper().readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode().put("raw", body);
        }
    }
}
