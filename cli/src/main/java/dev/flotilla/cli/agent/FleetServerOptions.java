package dev.flotilla.cli.agent;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --fleet-server-*} flags: bootstrap a Fleet Server inside the agent and enroll into its policy. */
public final class FleetServerOptions {
    @Option(names = "--fleet-server-es", paramLabel = "<url>", description = "Elasticsearch URL of the Fleet Server")
    String es;

    @Option(names = "--fleet-server-service-token", paramLabel = "<token>", description = "Service token for Elasticsearch")
    String serviceToken;

    @Option(names = "--fleet-server-service-token-path", paramLabel = "<file>", description = "File holding the service token")
    Path serviceTokenPath;

    @Option(names = "--fleet-server-policy", paramLabel = "<id>", description = "Policy the Fleet Server agent enrolls into")
    String policy;

    @Option(names = "--fleet-server-es-ca", paramLabel = "<file>", description = "CA (PEM) of Elasticsearch's certificate")
    Path esCa;

    @Option(names = "--fleet-server-es-ca-trusted-fingerprint", paramLabel = "<hex>", description = "SHA-256 (hex) of Elasticsearch's CA")
    String esCaTrustedFingerprint;

    @Option(names = "--fleet-server-es-cert", paramLabel = "<file>", description = "Client certificate (PEM) for Elasticsearch")
    Path esCert;

    @Option(names = "--fleet-server-es-cert-key", paramLabel = "<file>", description = "Key (PEM) of --fleet-server-es-cert")
    Path esCertKey;

    @Option(names = "--fleet-server-es-insecure", description = "Do not verify Elasticsearch's certificate")
    boolean esInsecure;

    @Option(names = "--fleet-server-host", paramLabel = "<addr>", description = "Address Fleet Server binds (default: ${DEFAULT-VALUE})",
            defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--fleet-server-port", paramLabel = "<port>", description = "Port Fleet Server listens on (default: ${DEFAULT-VALUE})",
            defaultValue = "8220")
    int port;

    @Option(names = "--fleet-server-cert", paramLabel = "<file>", description = "Fleet Server's certificate (PEM, chain allowed);"
            + " without it a self-signed CA and certificate are generated")
    Path cert;

    @Option(names = "--fleet-server-cert-key", paramLabel = "<file>", description = "Key (PEM) of --fleet-server-cert")
    Path certKey;

    @Option(names = "--fleet-server-cert-key-passphrase", paramLabel = "<file>", description = "File holding the passphrase of --fleet-server-cert-key")
    Path certKeyPassphrase;

    @Option(names = "--fleet-server-client-auth", paramLabel = "<none|optional|required>",
            description = "Client certificates Fleet Server asks for (default: ${DEFAULT-VALUE})", defaultValue = "none")
    String clientAuth;

    @Option(names = "--fleet-server-insecure-http", description = "Serve plain HTTP (no TLS); testing only")
    boolean insecureHttp;

    /** True when any flag asks for a bootstrap. */
    boolean requested() {
        return es != null || policy != null || serviceToken != null || serviceTokenPath != null || cert != null
                || insecureHttp;
    }
}
