package dev.flotilla.cli.server;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.UserError;
import dev.flotilla.cli.server.es.ElasticsearchStoreOptions;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.certs.ListenerTls;
import dev.flotilla.server.certs.ServerCertificates;
import dev.flotilla.server.management.ManagementSettings;
import dev.flotilla.server.management.SecretBox;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import dev.flotilla.server.store.es.ElasticsearchFleetStore;
import dev.flotilla.server.store.StoreException;
import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla server}: runs the Fleet Server (agent API on port 8220) over TLS with the seed's
 * {@code --fleet-server-*} flags, on the embedded store or, with {@code --fleet-server-es}, on Elasticsearch.
 * Without a certificate, a system-level one or a generated self-signed one is used.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Fleet Server: the agents' HTTPS API (enroll, check-in, acks, status) on port 8220,",
                "with its state in an embedded SQLite store in --data-dir, or in Elasticsearch with --fleet-server-es",
                "(--fleet-server-service-token-path, --fleet-server-es-ca or --fleet-server-es-ca-trusted-fingerprint,",
                "--fleet-server-es-cert/--fleet-server-es-cert-key where the cluster requires a client certificate).",
                "",
                "Without --fleet-server-cert, /etc/flotilla/fleet-server.{crt,key} or <data-dir>/certs is used,",
                "else a self-signed CA and server certificate are generated into <data-dir>/certs."})
public final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--fleet-server-host", paramLabel = "<addr>",
            description = "Address to bind (default: 0.0.0.0; 127.0.0.1 with --fleet-server-insecure-http)")
    String host;

    @Option(names = "--fleet-server-port", paramLabel = "<port>", description = "Port (default: 8220)")
    Integer port;

    @Option(names = "--fleet-server-cert", paramLabel = "<file>",
            description = "Server certificate (PEM; the chain may follow the certificate)")
    Path cert;

    @Option(names = "--fleet-server-cert-key", paramLabel = "<file>", description = "Key (PEM) of --fleet-server-cert")
    Path certKey;

    @Option(names = "--fleet-server-cert-key-passphrase", paramLabel = "<file>",
            description = "File holding only the passphrase of an encrypted --fleet-server-cert-key")
    Path certKeyPassphrase;

    @Option(names = "--certificate-authorities", paramLabel = "<file,...>", split = ",",
            description = "CA certificates (PEM) that agents' client certificates must chain to")
    List<String> certificateAuthorities;

    @Option(names = "--fleet-server-client-auth", paramLabel = "<none|optional|required>",
            description = "Client certificates to ask agents for (default: none)")
    String clientAuth;

    @Option(names = "--fleet-server-insecure-http",
            description = "Serve plain HTTP on localhost (no TLS); for tests or behind a TLS proxy")
    boolean insecureHttp;

    @Option(names = "--data-dir", paramLabel = "<dir>",
            description = "Where the store (fleet.db) and generated certificates live (default: ~/.flotilla/server)")
    Path dataDir;

    @Option(names = "--config", paramLabel = "<file>",
            description = "YAML with host, port, data_dir, insecure_http and ssl.* settings; flags win")
    Path config;

    @Option(names = "--system-cert-dir", hidden = true, defaultValue = "/etc/flotilla")
    Path systemCertDir;

    @Option(names = "--management-host", paramLabel = "<addr>", defaultValue = "127.0.0.1",
            description = "Address of the Fleet management API and web page (default: 127.0.0.1)")
    String managementHost;

    @Option(names = "--management-port", paramLabel = "<port>",
            description = "Port of the Fleet management API (default: 8221, or a free port when --fleet-server-port"
                    + " is 0; `flotilla fleet` finds it in --data-dir)")
    Integer managementPort;

    @Option(names = "--no-management", description = "Do not run the Fleet management API")
    boolean noManagement;

    @Option(names = "--workers", paramLabel = "<n>",
            description = {"Worker processes sharing the agent port (SO_REUSEPORT) and the store (default: 1, or",
                    "`workers` in --config). Each process holds its own connections, so N workers hold N times the",
                    "connections one process may open; connection caps and rate limits apply per worker. Worker 0",
                    "runs the management API; a worker that dies is started again."})
    Integer workers;

    @Option(names = "--worker-index", hidden = true, description = "Set by --workers on the processes it starts")
    Integer workerIndex;

    @Mixin
    ElasticsearchStoreOptions elasticsearch;

    private FleetServer running;
    private ElasticsearchFleetStore esStore;

    private WorkerSupervisor supervisor;
    private ReusedPort reservedPort;

    @Override
    public Integer call() {
        ServerConfigFile file = config == null ? null : ServerConfigFile.read(config);
        int processes = workers != null ? workers : file != null && file.workers() != null ? file.workers() : 1;
        if (processes < 1) {
            throw new UserError("--workers must be at least 1, was " + processes);
        }
        if (processes > 1 && workerIndex == null) {
            return superviseWorkers(processes, file);
        }
        FleetServer server = startServer(file);
        PrintWriter out = spec.commandLine().getOut();
        out.println(WorkerSupervisor.READY_LINE + server.url() + " (store: " + server.store().describe() + ")");
        if (server.management() != null) {
            out.println("Fleet management API and web page on " + server.management().url() + "/app/ (admin key in "
                    + server.management().adminKeyFile() + "; `flotilla fleet ... --data-dir=...`)");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "fleet-server-shutdown"));
        return ExitCodes.KEEP_RUNNING;
    }

    /**
     * {@code --workers N}: what must happen once (certificate generation, the store's schema, the secrets key, the
     * port) happens here, then N copies of this command run with {@code --worker-index I} on that port.
     */
    private int superviseWorkers(int processes, ServerConfigFile file) {
        Settings s = settings(file);
        if (!s.plain()) {
            resolveTls(file, s.data()); // a self-signed certificate is generated now, once, for all workers
        }
        try {
            java.nio.file.Files.createDirectories(s.data());
            SecretBox.loadOrCreate(s.data());
            if (!elasticsearch.requested()) {
                SqliteFleetStore.openInDirectory(s.data()).close(); // schema created once, before the workers
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new UserError("Cannot prepare the data directory " + s.data() + " for the workers: "
                    + e.getMessage(), e);
        }
        reservedPort = ReusedPort.reserve(s.host(), s.port());
        int chosen = reservedPort.port();
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        List<String> base = withoutOption(withoutOption(original, "--workers"), "--fleet-server-port");
        List<String> options = base.subList(base.indexOf("server") + 1, base.size());
        PrintWriter out = spec.commandLine().getOut();
        supervisor = new WorkerSupervisor(processes, i -> {
            List<String> args = new java.util.ArrayList<>(List.of("server"));
            args.addAll(options);
            args.add("--fleet-server-port=" + chosen);
            if (s.port() == 0 && managementPort == null) {
                args.add("--management-port=0"); // as a single process would: a free port, written to --data-dir
            }
            args.add("--worker-index=" + i);
            return args;
        }, java.time.Duration.ofSeconds(30), System.out, System.err);
        try {
            supervisor.start();
        } catch (RuntimeException e) {
            reservedPort.close();
            throw e;
        }
        out.println(WorkerSupervisor.READY_LINE + FleetServer.url(s.host(), chosen, !s.plain()) + " with " + processes
                + " worker processes (pids " + supervisor.pids() + "; SO_REUSEPORT), store in " + s.data());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.stop();
            reservedPort.close();
        }, "fleet-server-supervisor-shutdown"));
        return ExitCodes.KEEP_RUNNING;
    }

    /** {@code args} without option {@code name} in either form ({@code --name v} or {@code --name=v}). */
    private static List<String> withoutOption(List<String> args, String name) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(name)) {
                i++; // and its value
            } else if (!a.startsWith(name + "=")) {
                out.add(a);
            }
        }
        return out;
    }

    /** Bind address, port, data directory and plain-HTTP flag from flags and file (flags win). */
    private record Settings(String host, int port, Path data, boolean plain) {
    }

    private Settings settings(ServerConfigFile file) {
        boolean plain = insecureHttp || (file != null && Boolean.TRUE.equals(file.insecureHttp()));
        String bindHost = host != null ? host : file != null && file.host() != null ? file.host()
                : plain ? "127.0.0.1" : "0.0.0.0";
        int bindPort = port != null ? port : file != null && file.port() != null ? file.port()
                : FleetServerConfig.DEFAULT_PORT;
        Path data = dataDir != null ? dataDir : file != null && file.dataDir() != null ? file.dataDir()
                : Path.of(System.getProperty("user.home"), ".flotilla", "server");
        return new Settings(bindHost, bindPort, data, plain);
    }

    private ListenerTls.Resolved resolveTls(ServerConfigFile file, Path data) {
        try {
            ListenerTls.Resolved tls = ListenerTls.resolve(new ListenerTls.Flags(cert, certKey, certKeyPassphrase,
                    certificateAuthorities, clientAuth == null ? null : ClientAuthentication.parse(clientAuth)),
                    file == null ? null : file.ssl(), data, systemCertDir);
            if (tls.fallback() != null && tls.fallback().ca() != null && (workerIndex == null || workerIndex == 0)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("Using " + (tls.fallback().origin() == ServerCertificates.Origin.GENERATED
                        ? "a generated self-signed" : "the") + " certificate " + tls.fallback().certificate());
                out.println("Agents must trust the CA " + tls.fallback().ca() + " (sha256 "
                        + tls.fallback().caFingerprint() + "): --certificate-authorities="
                        + tls.fallback().ca() + " (or --insecure)");
                out.flush();
            }
            return tls;
        } catch (IllegalArgumentException | IllegalStateException | TlsException e) {
            throw new UserError(e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getClass().getPackageName().startsWith("dev.flotilla.pki")) {
                throw new UserError(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Stops what {@link #startServer()} started: the server (long polls answer), then its Elasticsearch store. */
    public synchronized void stop() {
        if (supervisor != null) {
            supervisor.stop();
            reservedPort.close();
        }
        if (running != null) {
            running.close();
            running = null;
        }
        if (esStore != null) {
            esStore.close();
            esStore = null;
        }
    }

    /**
     * Builds the configuration from flags and file and starts the server (tests call this directly and end with
     * {@link #stop()}, which also closes the Elasticsearch store; closing only the server leaves that open).
     */
    public FleetServer startServer() {
        return startServer(config == null ? null : ServerConfigFile.read(config));
    }

    private synchronized FleetServer startServer(ServerConfigFile file) {
        Settings s = settings(file);
        boolean plain = s.plain();
        int bindPort = s.port();
        Path data = s.data();
        try {
            FleetServerConfig.Builder b = FleetServerConfig.builder().host(s.host()).port(bindPort).dataDir(data);
            if (workerIndex != null) {
                b.worker(workerIndex);
            }
            if (!noManagement && (workerIndex == null || workerIndex == 0)) {
                int mport = managementPort != null ? managementPort : bindPort == 0 ? 0 : ManagementSettings.DEFAULT_PORT;
                b.management(ManagementSettings.defaults().withAddress(managementHost, mport));
            }
            if (plain) {
                if (cert != null || (file != null && file.ssl() != null)) {
                    throw new UserError("--fleet-server-insecure-http serves plain HTTP; drop it or the"
                            + " certificate settings");
                }
                b.insecureHttp(true);
            } else {
                b.tls(resolveTls(file, data).settings());
            }
            if (elasticsearch.requested()) {
                esStore = elasticsearch.connect();
                b.store(esStore);
            }
            running = FleetServer.start(b.build());
            return running;
        } catch (IllegalArgumentException | IllegalStateException | TlsException | StoreException e) {
            stop();
            throw new UserError(e.getMessage(), e);
        } catch (RuntimeException e) {
            stop();
            if (e.getClass().getPackageName().startsWith("dev.flotilla.pki")) {
                throw new UserError(e.getMessage(), e);
            }
            throw e;
        }
    }
}
