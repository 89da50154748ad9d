package dev.flotilla.server;

import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.http.HttpSettings;
import dev.flotilla.server.http.SslHandlerFactory;
import dev.flotilla.server.limit.EndpointLimit;
import dev.flotilla.server.management.ManagementSettings;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.tls.TlsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link FleetServer} needs, immutable. Built with {@link #builder()}; defaults follow the reference
 * (port 8220, 5 min long polls, per-endpoint limits). TLS is required unless plain HTTP is asked for explicitly,
 * and plain HTTP binds to a loopback address only.
 */
public final class FleetServerConfig {
    public static final int DEFAULT_PORT = 8220;
    public static final String ENDPOINT_CHECKIN = "checkin";
    public static final String ENDPOINT_ENROLL = "enroll";
    public static final String ENDPOINT_ACK = "ack";
    public static final String ENDPOINT_STATUS = "status";
    public static final String ENDPOINT_AUDIT = "audit";
    /** The TLS session-ticket secrets in the data directory (tls module's ticket-key file). */
    public static final String TICKET_KEY_FILE = "tls-ticket.keys";

    private final HttpSettings http;
    private final SslHandlerFactory tls;
    private final TlsSettings tlsSettings;
    private final String tlsDescription;
    private final boolean insecureHttp;
    private final Path dataDir;
    private final FleetStore store;
    private final Map<String, EndpointLimit> limits;
    private final CheckinSettings checkin;
    private final Duration changePollInterval;
    private final Duration shutdownGrace;
    private final int workerThreads;
    private final int ioThreads;
    private final String version;
    private final ManagementSettings management;
    private final int worker;

    private FleetServerConfig(Builder b) {
        this.http = b.http;
        this.tls = b.tls;
        this.tlsSettings = b.tlsSettings;
        this.tlsDescription = b.tlsDescription;
        this.insecureHttp = b.insecureHttp;
        this.dataDir = b.dataDir;
        this.store = b.store;
        this.limits = Map.copyOf(b.limits);
        this.checkin = b.checkin;
        this.changePollInterval = b.changePollInterval;
        this.shutdownGrace = b.shutdownGrace;
        this.workerThreads = b.workerThreads;
        this.ioThreads = b.ioThreads;
        this.version = b.version;
        this.management = b.management;
        this.worker = b.worker;
    }

    public static Builder builder() {
        return new Builder();
    }

    public HttpSettings http() {
        return http;
    }

    /** A ready-made TLS handler factory (tests, embedding), or null. */
    public SslHandlerFactory tls() {
        return tls;
    }

    /** The listener's {@code ssl.*} settings (the server makes its {@code ServerTls} from them), or null. */
    public TlsSettings tlsSettings() {
        return tlsSettings;
    }

    public String tlsDescription() {
        return tlsDescription;
    }

    public boolean insecureHttp() {
        return insecureHttp;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * {@code <data-dir>/tls-ticket.keys}: the session-ticket secrets every process on this data directory shares,
     * so agents resume their TLS sessions after a restart and across worker processes; null without a data dir.
     */
    public Path ticketKeyFile() {
        return ticketKeyFile(dataDir);
    }

    /** The ticket-key file of a data directory (null for null). */
    public static Path ticketKeyFile(Path dataDir) {
        return dataDir == null ? null : dataDir.resolve(TICKET_KEY_FILE);
    }

    /** A store supplied by the caller (not closed by the server), or null for SQLite in the data directory. */
    public FleetStore store() {
        return store;
    }

    public EndpointLimit limit(String endpoint) {
        return limits.getOrDefault(endpoint, EndpointLimit.DEFAULT);
    }

    public CheckinSettings checkin() {
        return checkin;
    }

    public Duration changePollInterval() {
        return changePollInterval;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public String version() {
        return version;
    }

    /** The management API listener (issue 5); disabled unless set. */
    public ManagementSettings management() {
        return management;
    }

    /**
     * This process's number among the workers of {@code flotilla server --workers N} (0..N-1), which share the
     * agent port (SO_REUSEPORT) and the store; -1 when the server runs as one process (the default).
     */
    public int worker() {
        return worker;
    }

    /** Whether the agent listener binds with SO_REUSEPORT (when this process is one of several workers). */
    public boolean sharesPort() {
        return worker >= 0;
    }

    @Override
    public String toString() {
        return "FleetServerConfig[" + http.host() + ":" + http.port() + ", "
                + (insecureHttp ? "plain HTTP" : "TLS " + tlsDescription) + ", data=" + dataDir + "]";
    }

    /** Builder with the reference's defaults; {@link #build()} validates the combination. */
    public static final class Builder {
        private HttpSettings http = HttpSettings.defaults("0.0.0.0", DEFAULT_PORT);
        private SslHandlerFactory tls;
        private TlsSettings tlsSettings;
        private String tlsDescription = "";
        private boolean insecureHttp;
        private Path dataDir;
        private FleetStore store;
        private final Map<String, EndpointLimit> limits = new HashMap<>(Map.of(
                ENDPOINT_CHECKIN, EndpointLimit.CHECKIN,
                ENDPOINT_ENROLL, EndpointLimit.ENROLL,
                ENDPOINT_ACK, EndpointLimit.ACK,
                ENDPOINT_STATUS, EndpointLimit.STATUS,
                ENDPOINT_AUDIT, EndpointLimit.DEFAULT));
        private CheckinSettings checkin = CheckinSettings.DEFAULTS;
        private Duration changePollInterval = Duration.ofMillis(250);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private int workerThreads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private String version = "0.1.0";
        private ManagementSettings management = ManagementSettings.DISABLED;
        private int worker = -1;

        private Builder() {
        }

        public Builder host(String host) {
            http = http.withAddress(host, http.port());
            return this;
        }

        public Builder port(int port) {
            http = http.withAddress(http.host(), port);
            return this;
        }

        public Builder http(HttpSettings settings) {
            this.http = Objects.requireNonNull(settings, "http");
            return this;
        }

        /** Serves HTTPS with handlers from this factory; {@code description} is logged (no secrets). */
        public Builder tls(SslHandlerFactory factory, String description) {
            this.tls = Objects.requireNonNull(factory, "tls");
            this.tlsDescription = description == null ? "" : description;
            return this;
        }

        /** Serves HTTPS with these {@code ssl.*} settings (certificate, key, client CAs, client authentication). */
        public Builder tls(TlsSettings settings) {
            this.tlsSettings = Objects.requireNonNull(settings, "tls");
            this.tlsDescription = "certificate " + settings.certificate() + ", client authentication "
                    + settings.effectiveClientAuthentication().settingValue();
            return this;
        }

        /** Serves plain HTTP (loopback only); for tests and local setups behind a TLS proxy. */
        public Builder insecureHttp(boolean insecure) {
            this.insecureHttp = insecure;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder store(FleetStore store) {
            this.store = store;
            return this;
        }

        public Builder limit(String endpoint, EndpointLimit limit) {
            limits.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        public Builder checkin(CheckinSettings settings) {
            this.checkin = Objects.requireNonNull(settings, "checkin");
            return this;
        }

        public Builder changePollInterval(Duration interval) {
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("changePollInterval: " + interval + " (expected: > 0)");
            }
            this.changePollInterval = interval;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace: " + grace + " (expected: >= 0)");
            }
            this.shutdownGrace = grace;
            return this;
        }

        public Builder workerThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("workerThreads: " + n + " (expected: >= 1)");
            }
            this.workerThreads = n;
            return this;
        }

        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads: " + n + " (expected: >= 1)");
            }
            this.ioThreads = n;
            return this;
        }

        public Builder version(String v) {
            this.version = Objects.requireNonNull(v, "version");
            return this;
        }

        /** Runs the management API (settings, policies, tokens, agents) on its own listener. */
        public Builder management(ManagementSettings settings) {
            this.management = Objects.requireNonNull(settings, "management");
            return this;
        }

        /** Runs as worker {@code id} of several processes sharing the agent port and the store ({@link #worker()}). */
        public Builder worker(int id) {
            if (id < 0) {
                throw new IllegalArgumentException("worker: " + id + " (expected: >= 0)");
            }
            this.worker = id;
            return this;
        }

        public FleetServerConfig build() {
            if (store == null && dataDir == null) {
                throw new IllegalArgumentException("no data directory: set --data-dir (the SQLite store lives there)");
            }
            if (tls != null && tlsSettings != null) {
                throw new IllegalArgumentException("give either TLS settings or a TLS handler factory, not both");
            }
            boolean hasTls = tls != null || tlsSettings != null;
            if (insecureHttp && hasTls) {
                throw new IllegalArgumentException("both TLS and plain HTTP are configured; drop"
                        + " --fleet-server-insecure-http or the certificate settings");
            }
            if (!insecureHttp && !hasTls) {
                throw new IllegalArgumentException("no TLS configured; give a certificate and key, or pass"
                        + " --fleet-server-insecure-http to serve plain HTTP on localhost");
            }
            if (insecureHttp && !isLoopback(http.host())) {
                throw new IllegalArgumentException("plain HTTP is served on localhost only, not on " + http.host()
                        + "; use --fleet-server-host=127.0.0.1 or configure TLS");
            }
            return new FleetServerConfig(this);
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--fleet-server-host " + host + " does not resolve: "
                        + e.getMessage(), e);
            }
        }
    }
}
