package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.SecureFiles;
import dev.flotilla.cli.UserError;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.tls.ServerTls;
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
 * {@code --fleet-server-*}: runs a Fleet Server inside the agent (the server module's Java API, SQLite store
 * under the base path), makes sure the {@code --fleet-server-policy} exists, and gives the agent an enrollment
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

    /** A started embedded Fleet Server. */
    static final class Running implements AutoCloseable {
        private final FleetServer server;
        private final ServerTls tls;

        Running(FleetServer server, ServerTls tls) {
            this.server = server;
            this.tls = tls;
        }

        FleetServer server() {
            return server;
        }

        @Override
        public void close() {
            server.close();
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
        if (o.serviceToken == null && o.serviceTokenPath == null) {
            err.println("warning: no --fleet-server-service-token; fine for the embedded store, needed once Fleet Server"
                    + " keeps its state in Elasticsearch");
        }
        if (o.es != null) {
            err.println("note: Fleet Server keeps its state in SQLite under " + paths.fleetServerDir()
                    + "; the --fleet-server-es* settings are recorded for the Elasticsearch store (issue 7) and go"
                    + " into the policy's output");
        }
        List<String> trusted = new ArrayList<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", o.host);
        settings.put("port", o.port);
        settings.put("policy", policy);
        settings.put("insecure_http", o.insecureHttp);
        if (!o.insecureHttp) {
            settings.put("ssl", serverSsl(paths, o, enroll, trusted, err));
        }
        settings.put("elasticsearch", elasticsearch(o));
        Running running = start(paths, settings);
        try {
            if (running.server().policies().latest(policy).isEmpty()) {
                var doc = Policies.starter(List.of(enroll.url), o.es == null ? "http://localhost:9200" : o.es);
                var output = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("outputs").get("default");
                if (o.esCa != null) {
                    output.putObject("ssl").putArray("certificate_authorities").add(o.esCa.toAbsolutePath().toString());
                }
                if (o.esCaTrustedFingerprint != null) {
                    output.put("ssl.ca_trusted_fingerprint", o.esCaTrustedFingerprint);
                }
                running.server().policies().put(policy, doc);
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
        FleetServerConfig.Builder b = FleetServerConfig.builder()
                .host(String.valueOf(settings.get("host")))
                .port(((Number) settings.get("port")).intValue())
                .dataDir(paths.fleetServerDir().resolve("data"));
        ServerTls tls = null;
        if (Boolean.TRUE.equals(settings.get("insecure_http"))) {
            b.insecureHttp(true);
        } else {
            tls = ServerTls.create(TlsSettings.fromMap((Map<String, Object>) settings.get("ssl"), "--fleet-server-cert"),
                    HOP);
            b.tls(tls::newHandler, "agent bootstrap");
        }
        try {
            return new Running(FleetServer.start(b.build()), tls);
        } catch (IllegalArgumentException e) {
            if (tls != null) {
                tls.close();
            }
            throw new UserError("cannot start the Fleet Server: " + e.getMessage());
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
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

    private static Map<String, Object> elasticsearch(FleetServerOptions o) {
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
            ssl.put("certificate", o.esCert.toAbsolutePath().toString());
        }
        if (o.esCertKey != null) {
            ssl.put("key", o.esCertKey.toAbsolutePath().toString());
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
        return es;
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
