package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.SecureFiles;
import dev.flotilla.cli.UserError;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.store.es.ElasticsearchFleetStore;
import dev.flotilla.server.store.es.ElasticsearchStoreConfig;
import dev.flotilla.server.store.es.ElasticsearchStoreException;
import dev.flotilla.tls.ServerTls;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --fleet-server-*}: runs a Fleet Server inside the agent (the server module's Java API; its state in the
 * Elasticsearch cluster of {@code --fleet-server-es}, else in SQLite under the base path), makes sure the {@code --fleet-server-policy} exists, and gives the agent an enrollment
 * token for it. Without {@code --fleet-server-cert} a self-signed CA and server certificate are generated and the
 * local agent trusts that CA. The server's settings are kept in the agent's encrypted state so that
 * {@code flotilla agent run} starts it again.
 */
final class FleetServerBootstrap {
    static final String HOP = "Fleet Server (inside the agent)";

    /** A started bootstrap Fleet Server, the token to enroll with, and CAs the local agent must trust. */
    record Prepared(Map<String, Object> settings, String enrollmentToken, List<String> trustedCas, Running server)
            implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    /** A started embedded Fleet Server, with the Elasticsearch store it runs on (null for SQLite). */
    static final class Running implements AutoCloseable {
        private final FleetServer server;
        private final ServerTls tls;
        private final ElasticsearchFleetStore store;

        Running(FleetServer server, ServerTls tls, ElasticsearchFleetStore store) {
            this.server = server;
            this.tls = tls;
            this.store = store;
        }

        FleetServer server() {
            return server;
        }

        @Override
        public void close() {
            server.close();
            if (store != null) {
                store.close();
            }
            if (tls != null) {
                tls.close();
            }
        }
    }

    private FleetServerBootstrap() {
    }

    /** Starts the Fleet Server the flags describe and creates what the local agent needs to enroll. */
    static Prepared prepare(AgentPaths paths, FleetServerOptions o, EnrollOptions enroll, PrintWriter err) {
        if (enroll.url == null) {
            throw new UserError("--url is required with --fleet-server-*: the URL other agents use to reach this Fleet"
                    + " Server, e.g. --url=https://" + hostname() + ":" + o.port);
        }
        String policy = o.policy == null ? "fleet-server-policy" : o.policy;
        if (o.es == null) {
            err.println("note: no --fleet-server-es: Fleet Server keeps its state in SQLite under "
                    + paths.fleetServerDir() + " and the policy's output points at http://localhost:9200");
        }
        Map<String, Object> elasticsearch = elasticsearch(o, enroll);
        List<String> trusted = new ArrayList<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", o.host);
        settings.put("port", o.port);
        settings.put("policy", policy);
        settings.put("insecure_http", o.insecureHttp);
        if (!o.insecureHttp) {
            settings.put("ssl", serverSsl(paths, o, enroll, trusted, err));
        }
        settings.put("elasticsearch", elasticsearch);
        Running running = start(paths, settings);
        try {
            if (running.server().policies().latest(policy).isEmpty()) {
                running.server().policies().put(policy, BootstrapPolicy.create(enroll.url, o));
            }
            EnrollmentTokens.Created token = running.server().enrollmentTokens().create("fleet-server bootstrap", policy);
            return new Prepared(settings, token.token(), trusted, running);
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
    }

    /** Starts the Fleet Server recorded in the agent's state (for {@code flotilla agent run}). */
    @SuppressWarnings("unchecked")
    static Running start(AgentPaths paths, Map<String, Object> settings) {
        Path dataDir = paths.fleetServerDir().resolve("data");
        FleetServerConfig.Builder b = FleetServerConfig.builder()
                .host(String.valueOf(settings.get("host")))
                .port(((Number) settings.get("port")).intValue())
                .dataDir(dataDir);
        ServerTls tls = null;
        if (Boolean.TRUE.equals(settings.get("insecure_http"))) {
            b.insecureHttp(true);
        } else {
            tls = ServerTls.create(TlsSettings.fromMap((Map<String, Object>) settings.get("ssl"), "--fleet-server-cert"),
                    HOP, FleetServerConfig.ticketKeyFile(dataDir));
            b.tls(tls::newHandler, "agent bootstrap");
        }
        ElasticsearchFleetStore store = null;
        try {
            ElasticsearchStoreConfig es = BootstrapElasticsearch.config(settings.get("elasticsearch"));
            if (es != null) {
                store = ElasticsearchFleetStore.connect(es);
                b.store(store);
            }
            return new Running(FleetServer.start(b.build()), tls, store);
        } catch (IllegalArgumentException | ElasticsearchStoreException | TlsException e) {
            closeQuietly(store, tls);
            throw new UserError("cannot start the Fleet Server: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(store, tls);
            throw e;
        }
    }

    private static void closeQuietly(ElasticsearchFleetStore store, ServerTls tls) {
        if (store != null) {
            store.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    private static Map<String, Object> serverSsl(AgentPaths paths, FleetServerOptions o, EnrollOptions enroll,
                                                 List<String> trusted, PrintWriter err) {
        Map<String, Object> ssl = new LinkedHashMap<>();
        if (o.cert != null) {
            if (o.certKey == null) {
                throw new UserError("--fleet-server-cert needs --fleet-server-cert-key (the certificate's private key)");
            }
            ssl.put("certificate", readable(o.cert, "--fleet-server-cert"));
            ssl.put("key", readable(o.certKey, "--fleet-server-cert-key"));
            if (o.certKeyPassphrase != null) {
                ssl.put("key_passphrase_path", readable(o.certKeyPassphrase, "--fleet-server-cert-key-passphrase"));
            }
        } else {
            SelfSignedFleetCertificate self = SelfSignedFleetCertificate.ensure(paths.fleetServerDir(),
                    URI.create(enroll.url).getHost(), hostname());
            err.println("note: no --fleet-server-cert: Fleet Server uses a self-signed certificate (CA " + self.ca()
                    + "); other agents need --certificate-authorities=" + self.ca() + " or --insecure");
            ssl.put("certificate", self.certificate().toString());
            ssl.put("key", self.key().toString());
            trusted.add(self.ca().toString());
        }
        List<String> clientCas = new ArrayList<>();
        for (Path ca : enroll.certificateAuthorities) {
            clientCas.add(readable(ca, "--certificate-authorities"));
        }
        String clientAuth = o.clientAuth == null ? "none" : o.clientAuth.toLowerCase(java.util.Locale.ROOT);
        if (!List.of("none", "optional", "required").contains(clientAuth)) {
            throw new UserError("--fleet-server-client-auth=" + o.clientAuth + " is not one of none, optional, required");
        }
        if (!"none".equals(clientAuth) && clientCas.isEmpty()) {
            throw new UserError("--fleet-server-client-auth=" + clientAuth + " needs --certificate-authorities: the CAs"
                    + " that sign the agents' client certificates");
        }
        if (!clientCas.isEmpty()) {
            ssl.put("certificate_authorities", clientCas);
        }
        ssl.put("client_authentication", clientAuth);
        return ssl;
    }

    private static Map<String, Object> elasticsearch(FleetServerOptions o, EnrollOptions enroll) {
        Map<String, Object> es = new LinkedHashMap<>();
        if (o.es != null) {
            es.put("hosts", List.of(o.es));
        }
        Map<String, Object> ssl = new LinkedHashMap<>();
        if (o.esCa != null) {
            ssl.put("certificate_authorities", List.of(o.esCa.toAbsolutePath().toString()));
        }
        if (o.esCaTrustedFingerprint != null) {
            ssl.put("ca_trusted_fingerprint", o.esCaTrustedFingerprint);
        }
        if (o.esCert != null) {
            ssl.put("certificate", readable(o.esCert, "--fleet-server-es-cert"));
        }
        if ((o.esCert == null) != (o.esCertKey == null)) {
            throw new UserError("--fleet-server-es-cert and --fleet-server-es-cert-key go together; give both");
        }
        if (o.esCertKey != null) {
            ssl.put("key", readable(o.esCertKey, "--fleet-server-es-cert-key"));
            Path passphrase = agentKeyPassphrase(o.esCertKey, enroll);
            if (passphrase != null) {
                ssl.put("key_passphrase_path", passphrase.toAbsolutePath().toString());
            }
        }
        if (o.esInsecure) {
            ssl.put("verification_mode", "none");
        }
        es.put("ssl", ssl);
        String token = o.serviceToken;
        if (token == null && o.serviceTokenPath != null) {
            token = read(o.serviceTokenPath).trim();
        }
        if (token != null) {
            es.put("service_token", token);
        }
        if (o.es != null && (token == null || token.isBlank())) {
            throw new UserError("--fleet-server-es needs a service token: --fleet-server-service-token-path <file> (or"
                    + " --fleet-server-service-token). Make one with 'flotilla fleet service-token create', or on each"
                    + " Elasticsearch node: bin/elasticsearch-service-tokens create elastic/fleet-server <name>");
        }
        return es;
    }

    /**
     * The seed gives the Fleet Server's Elasticsearch client key as the same file as {@code --elastic-agent-cert-key}
     * and its passphrase once ({@code --elastic-agent-cert-key-passphrase}): that passphrase applies to both uses.
     */
    private static Path agentKeyPassphrase(Path esKey, EnrollOptions enroll) {
        if (enroll.agentCertKey.isEmpty() || !sameFile(esKey, enroll.agentCertKey.get(0))) {
            return null;
        }
        return enroll.agentCertKeyPassphrase;
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static String readable(Path p, String flag) {
        if (!Files.isReadable(p)) {
            throw new UserError(flag + ": file " + p + " does not exist or is not readable");
        }
        return p.toAbsolutePath().toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + p + ": " + e.getMessage());
        }
    }

    static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static void ensureDir(Path dir) {
        SecureFiles.createPrivateDirectory(dir);
    }
}
