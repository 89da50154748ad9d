package dev.flotilla.server.management;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.http.HttpListener;
import dev.flotilla.server.http.HttpSettings;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.http.Router;
import dev.flotilla.server.http.SslHandlerFactory;
import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API on its own listener: Fleet Server hosts, outputs, agent policies, enrollment tokens and
 * agents under Kibana's {@code /api/fleet/...} paths, plus the web page at {@code /app/}. Every API call needs
 * the admin key ({@code admin.key} in the data directory, made at first start). The URL is written to
 * {@code management.json} beside it, where {@code flotilla fleet} finds both. With TLS, the listener uses the Fleet
 * Server's certificate; when agents must present client certificates, this listener does not ask for one (the
 * admin key authenticates) unless {@link ManagementSettings#withTls} says otherwise.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    public static final String URL_FILE = "management.json";

    private final HttpListener listener;
    private final URI url;
    private final Path dataDir;
    private final ServerTls ownTls;

    private ManagementServer(HttpListener listener, URI url, Path dataDir, ServerTls ownTls) {
        this.listener = listener;
        this.url = url;
        this.dataDir = dataDir;
        this.ownTls = ownTls;
    }

    /**
     * Starts the listener of a starting Fleet Server; uses its store, policies, actions and workers.
     *
     * @param serverTls the Fleet Server's own TLS handler factory (null: plain HTTP), used unless the management
     *                  settings give another
     * @param servedCertificate the Fleet Server's certificate (null: none), served here too unless the management
     *                          settings give another; {@code management.json} names a host it covers
     */
    public static ManagementServer start(FleetServer server, SslHandlerFactory serverTls,
                                         X509Certificate servedCertificate, Executor workers) {
        FleetServerConfig config = server.config();
        ManagementSettings settings = config.management();
        Path dataDir = config.dataDir();
        if (dataDir == null) {
            throw new IllegalArgumentException("the management API keeps its admin key in the data directory;"
                    + " set one with --data-dir");
        }
        SslHandlerFactory tls = settings.tls() != null ? settings.tls() : serverTls;
        if (tls == null && !loopback(settings.host())) {
            throw new IllegalArgumentException("the management API serves plain HTTP on localhost only, not on "
                    + settings.host() + "; configure TLS or keep the management host 127.0.0.1");
        }
        ServerTls ownTls = null;
        if (settings.tls() == null && config.tlsSettings() != null
                && config.tlsSettings().effectiveClientAuthentication() != ClientAuthentication.NONE) {
            // the admin key authenticates management calls; agents' client certificates are not asked for here
            ownTls = ServerTls.create(config.tlsSettings().toBuilder().clientAuthentication(ClientAuthentication.NONE)
                    .build(), "fleet-management");
            tls = ownTls::newHandler;
        }
        AdminKey key = AdminKey.loadOrCreate(dataDir);
        ManagementState state = new ManagementState(server.store(), server.policies(),
                SecretBox.loadOrCreate(dataDir));
        Router router = ManagementRoutes.build(key, new FleetServerHostsApi(state), new OutputsApi(state),
                new AgentPoliciesApi(state), new EnrollmentKeysApi(state, server.enrollmentTokens()),
                new AgentsApi(state, server.actions(), settings.offlineAfter()));
        HttpSettings agentSide = config.http();
        HttpSettings http = new HttpSettings(settings.host(), settings.port(), 256, agentSide.maxHeaderBytes(),
                agentSide.readHeaderTimeout(), agentSide.readTimeout(), agentSide.idleTimeout(),
                agentSide.compressionThreshold(), 1024 * 1024);
        HttpListener listener;
        try {
            listener = HttpListener.start("fleet-management", http, router, tls, server.lifecycle(), workers, 1);
        } catch (RuntimeException e) {
            if (ownTls != null) {
                ownTls.close();
            }
            throw e instanceof HttpListener.PortUnavailable p ? p.withHint("Choose another with --management-port.")
                    : e;
        }
        String urlHost = urlHost(settings.host(), settings.tls() == null ? servedCertificate : null);
        ManagementServer m = new ManagementServer(listener, FleetServer.url(urlHost, listener.port(), tls != null),
                dataDir, ownTls);
        try {
            m.writeUrlFile();
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        LOG.info("Fleet management API ready: {} (admin key in {}, web page at {}/app/)", m.url,
                dataDir.resolve(AdminKey.FILE), m.url);
        return m;
    }

    public URI url() {
        return url;
    }

    public int port() {
        return listener.port();
    }

    /** The admin key file (mode 600). */
    public Path adminKeyFile() {
        return dataDir.resolve(AdminKey.FILE);
    }

    @Override
    public void close() {
        listener.close(java.time.Duration.ofMillis(200));
        if (ownTls != null) {
            ownTls.close();
        }
    }

    private void writeUrlFile() {
        Path file = dataDir.resolve(URL_FILE);
        Path tmp = dataDir.resolve(URL_FILE + ".tmp");
        try {
            Files.writeString(tmp, Json.text(Json.object().put("url", url.toString())), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The host {@code flotilla fleet} connects to: the bound address, or {@code localhost} when the listener is bound
     * to the loopback (or every) address and its certificate names {@code localhost} but not that address (made with
     * {@code certutil cert --dns localhost} alone), so the client's hostname check passes.
     */
    static String urlHost(String bindHost, X509Certificate certificate) {
        boolean any = bindHost.equals("0.0.0.0") || bindHost.equals("::");
        if (certificate == null || !(any || loopback(bindHost))) {
            return bindHost;
        }
        List<String> names = CertificateInfo.subjectAltNames(certificate);
        String address = any ? InetAddress.getLoopbackAddress().getHostAddress() : bindHost;
        boolean coversAddress = names.stream()
                .anyMatch(n -> n.startsWith("IP:") && sameAddress(n.substring(3), address));
        return !coversAddress && names.contains("DNS:localhost") ? "localhost" : bindHost;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("management host " + host + " does not resolve: " + e.getMessage(), e);
        }
    }
}
