package dev.flotilla.cli.server.es;

import dev.flotilla.cli.UserError;
import dev.flotilla.server.store.es.ElasticsearchFleetStore;
import dev.flotilla.server.store.es.ElasticsearchStoreConfig;
import dev.flotilla.server.store.es.ElasticsearchStoreException;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import dev.flotilla.tls.VerificationMode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The seed's Fleet Server -> Elasticsearch flags, as a picocli mixin for {@code flotilla server} and the agent's
 * Fleet Server bootstrap: {@code @Mixin ElasticsearchStoreOptions es;} then
 * {@code if (es.requested()) builder.store(es.connect());} (the caller closes that store after the server).
 */
public final class ElasticsearchStoreOptions {

    @Option(names = "--fleet-server-es", paramLabel = "<url>", split = ",",
            description = "Elasticsearch URL(s) (https://host:9200): keep the Fleet Server's state in this cluster "
                    + "instead of the embedded store")
    List<String> urls;

    @Option(names = "--fleet-server-service-token", paramLabel = "<token>",
            description = "elastic/fleet-server service token (prefer --fleet-server-service-token-path: a flag "
                    + "shows in the process list)")
    String serviceToken;

    @Option(names = "--fleet-server-service-token-path", paramLabel = "<file>",
            description = "File holding only the service token")
    Path serviceTokenPath;

    @Option(names = "--fleet-server-es-ca", paramLabel = "<file>", split = ",",
            description = "CA certificate(s) (PEM) that signed Elasticsearch's HTTP certificate")
    List<String> caFiles;

    @Option(names = "--fleet-server-es-ca-trusted-fingerprint", paramLabel = "<hex>",
            description = "SHA-256 (hex) of the CA certificate Elasticsearch presents in its chain")
    String caFingerprint;

    @Option(names = "--fleet-server-es-cert", paramLabel = "<file>",
            description = "Client certificate (PEM) for clusters that require one")
    Path certificate;

    @Option(names = "--fleet-server-es-cert-key", paramLabel = "<file>", description = "Key (PEM) of --fleet-server-es-cert")
    Path certificateKey;

    @Option(names = "--fleet-server-es-insecure",
            description = "Do not verify Elasticsearch's certificate (verification_mode: none); testing only")
    boolean insecure;

    /**
     * The same settings from values the caller parsed itself (the agent's Fleet Server bootstrap has these flags in
     * its own option class), so that both share one validation and one set of messages.
     */
    public static ElasticsearchStoreOptions of(List<String> urls, String serviceToken, Path serviceTokenPath,
                                               List<String> caFiles, String caFingerprint, Path certificate,
                                               Path certificateKey, boolean insecure) {
        ElasticsearchStoreOptions o = new ElasticsearchStoreOptions();
        o.urls = urls == null ? null : List.copyOf(urls);
        o.serviceToken = serviceToken;
        o.serviceTokenPath = serviceTokenPath;
        o.caFiles = caFiles == null ? null : List.copyOf(caFiles);
        o.caFingerprint = caFingerprint;
        o.certificate = certificate;
        o.certificateKey = certificateKey;
        o.insecure = insecure;
        return o;
    }

    /** Whether Elasticsearch was asked for (any of these flags given; only --fleet-server-es makes it valid). */
    public boolean requested() {
        return urls != null && !urls.isEmpty() || serviceToken != null || serviceTokenPath != null
                || caFiles != null || caFingerprint != null || certificate != null || certificateKey != null
                || insecure;
    }

    /** The validated settings; every mistake is a {@link UserError} naming the flag. */
    public ElasticsearchStoreConfig config() {
        if (urls == null || urls.isEmpty()) {
            throw new UserError("--fleet-server-es is missing: the other --fleet-server-es*/--fleet-server-service-token"
                    + " flags only apply with the Elasticsearch URL, e.g. --fleet-server-es=https://es.example:9200");
        }
        List<URI> hosts = new ArrayList<>();
        for (String url : urls) {
            hosts.add(parse(url.strip()));
        }
        boolean https = hosts.stream().allMatch(u -> "https".equals(u.getScheme().toLowerCase(Locale.ROOT)));
        boolean tlsFlags = caFiles != null || caFingerprint != null || certificate != null || certificateKey != null
                || insecure;
        if (!https && tlsFlags) {
            throw new UserError("--fleet-server-es " + urls + " uses http:// but TLS flags are given; use https://"
                    + " (Elasticsearch with security on serves HTTPS)");
        }
        if ((certificate == null) != (certificateKey == null)) {
            throw new UserError("--fleet-server-es-cert and --fleet-server-es-cert-key go together; give both");
        }
        try {
            return new ElasticsearchStoreConfig(hosts, token(), https ? tls() : TlsSettings.builder().enabled(false)
                    .build(), null, null);
        } catch (IllegalArgumentException | TlsException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Connects the store; a bad CA, fingerprint, client certificate or token is a {@link UserError} naming it. */
    public ElasticsearchFleetStore connect() {
        ElasticsearchStoreConfig config = config();
        try {
            return ElasticsearchFleetStore.connect(config);
        } catch (ElasticsearchStoreException | TlsException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private TlsSettings tls() {
        TlsSettings.Builder b = TlsSettings.builder().source("--fleet-server-es* flags");
        if (caFiles != null) {
            caFiles.forEach(ca -> b.addCertificateAuthority(Path.of(ca.strip())));
        }
        if (caFingerprint != null) {
            b.caTrustedFingerprint(caFingerprint.strip());
        }
        if (certificate != null) {
            b.certificate(certificate).key(certificateKey);
        }
        if (insecure) {
            b.verificationMode(VerificationMode.NONE);
        }
        return b.build();
    }

    private String token() {
        if (serviceToken != null && serviceTokenPath != null) {
            throw new UserError("give --fleet-server-service-token or --fleet-server-service-token-path, not both");
        }
        if (serviceTokenPath != null) {
            try {
                String token = Files.readString(serviceTokenPath, StandardCharsets.UTF_8).strip();
                if (token.isEmpty()) {
                    throw new UserError("--fleet-server-service-token-path " + serviceTokenPath + " is empty; put the"
                            + " token made by 'bin/elasticsearch-service-tokens create elastic/fleet-server <name>'"
                            + " (or 'flotilla fleet service-token create') in it");
                }
                return token;
            } catch (IOException e) {
                throw new UserError("cannot read --fleet-server-service-token-path " + serviceTokenPath + ": " + e, e);
            }
        }
        if (serviceToken == null || serviceToken.isBlank()) {
            throw new UserError("--fleet-server-es needs a service token: --fleet-server-service-token-path <file> "
                    + "(or --fleet-server-service-token). Make one with 'flotilla fleet service-token create', or "
                    + "on each Elasticsearch node: bin/elasticsearch-service-tokens create elastic/fleet-server <name>");
        }
        return serviceToken;
    }

    private static URI parse(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null
                    || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new UserError("--fleet-server-es " + url + " is not a URL like https://es.example:9200");
        }
    }
}
