package dev.flotilla.cli.quickstart;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.UserError;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.FleetServerConfig;
import dev.flotilla.server.certs.LocalAddresses;
import dev.flotilla.server.certs.ServerCertificates;
import dev.flotilla.server.management.ManagementServer;
import dev.flotilla.server.management.ManagementSettings;
import dev.flotilla.server.store.StoreException;
import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla quickstart}: a CA and server certificate, a TLS Fleet Server on the embedded store, a policy
 * and an enrollment token, the management API (URL, web page, admin key file), then the exact agent command to
 * run. With {@code --with-elasticsearch} also a local secured Elasticsearch signed by the same CA, which holds the
 * Fleet Server's state and is the agents' default output. Running it again reuses all of it.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Start a TLS Fleet Server with its own CA, a policy and an enrollment token, and print the "
                + "command that enrolls an agent, with the Fleet management API and web page on 127.0.0.1 (admin key "
                + "in <data-dir>/admin.key). Re-running reuses the CA, certificate, store, admin key and token.",
                "",
                "--with-elasticsearch also starts a local Elasticsearch (HTTPS on 127.0.0.1:9200, certificate signed "
                + "by the same CA, fetched once into the repository's .cache/): the Fleet Server keeps its state there "
                + "(service token for elastic/fleet-server) and agents ship to it as a least-privilege output user."})
public final class QuickstartCommand implements Callable<Integer> {
    static final String POLICY_ID = "quickstart-policy";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "flotilla-quickstart",
            description = "Where the CA, certificate, store and token are kept (default: ./${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--fleet-server-port", paramLabel = "<port>", defaultValue = "8220",
            description = "Port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--fleet-server-host", paramLabel = "<addr>", defaultValue = "0.0.0.0",
            description = "Address to bind (default: ${DEFAULT-VALUE})")
    String bindHost;

    @Option(names = "--public-host", paramLabel = "<name>",
            description = "Host name agents use in --url (default: this machine's name if it resolves, else localhost)")
    String publicHost;

    @Option(names = "--elasticsearch", paramLabel = "<url>", defaultValue = "https://localhost:9200",
            description = "Elasticsearch URL written into the policy's default output (default: ${DEFAULT-VALUE};"
                    + " with --with-elasticsearch, that node's URL)")
    String elasticsearch;

    @Option(names = "--with-elasticsearch",
            description = "Also start a local secured Elasticsearch (data in <data-dir>/elasticsearch): the Fleet"
                    + " Server's store and the agents' default output")
    boolean withElasticsearch;

    @Option(names = "--elasticsearch-port", paramLabel = "<port>", defaultValue = "9200",
            description = "HTTPS port of that Elasticsearch on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int elasticsearchPort;

    @Option(names = "--management-port", paramLabel = "<port>",
            description = "Port of the Fleet management API and web page on 127.0.0.1 (default: 8221, or a free"
                    + " port when --fleet-server-port is 0)")
    Integer managementPort;

    @Override
    public Integer call() {
        Quickstart.Result result = start();
        Runtime.getRuntime().addShutdownHook(new Thread(result::close, "quickstart-shutdown"));
        if (result.elasticsearch() != null) {
            result.elasticsearch().node().detachFromExit(); // stopped by the hook above, after the Fleet Server
        }
        print(result, spec.commandLine().getOut());
        return ExitCodes.KEEP_RUNNING;
    }

    void print(Quickstart.Result result, PrintWriter out) {
        out.println();
        out.println("Fleet Server is running at " + result.url() + " (TLS; CA " + result.ca() + ", sha256 "
                + result.caFingerprint() + ")");
        out.println(result.reused() ? "Reusing the CA, certificate, policy and token in " + dataDir.toAbsolutePath()
                : "Created a CA, a server certificate, policy '" + POLICY_ID + "' and an enrollment token in "
                + dataDir.toAbsolutePath());
        out.println();
        out.println("Enroll an agent with:");
        out.println();
        out.println("  " + result.agentCommand());
        ManagementServer management = result.server().management();
        if (management != null) {
            out.println();
            out.println("Fleet management API: " + management.url());
            out.println("Web page:             " + management.url() + "/app/");
            out.println("Admin key file:       " + management.adminKeyFile() + " (send 'Authorization: ApiKey"
                    + " <key>')");
            out.println();
            out.println("Manage the fleet with, for example:");
            out.println();
            out.println("  flotilla fleet agents list --data-dir=" + dataDir.toAbsolutePath() + " --ca=" + result.ca());
        }
        if (result.elasticsearch() != null) {
            printElasticsearch(result, out);
        }
        out.println();
        out.println(result.elasticsearch() == null ? "Press Ctrl-C to stop the Fleet Server."
                : "Press Ctrl-C to stop the Fleet Server and Elasticsearch (its data stays for the next run).");
        out.flush();
    }

    private static void printElasticsearch(Quickstart.Result result, PrintWriter out) {
        QuickstartElasticsearch es = result.elasticsearch();
        out.println();
        out.println("Elasticsearch:        " + es.url() + " (TLS, certificate signed by the CA above; data in "
                + es.node().directory() + ")");
        out.println("Fleet Server store:   Elasticsearch, with the file service token elastic/fleet-server/"
                + QuickstartElasticsearch.TOKEN_NAME);
        out.println("Default output:       " + es.url() + ", ca_trusted_fingerprint " + es.caFingerprint() + ", user "
                + QuickstartElasticsearch.OUTPUT_USER + " (role " + dev.flotilla.eslocal.ElasticsearchLauncher
                .OUTPUT_WRITER_ROLE + "; password in " + es.passwordFile() + ")");
        out.println();
        out.println("Ask Elasticsearch, and search what agents shipped (as the read-only user "
                + QuickstartElasticsearch.VIEWER_USER + "):");
        out.println();
        out.println("  curl --cacert " + result.ca() + " -u " + QuickstartElasticsearch.OUTPUT_USER + ":\"$(cat "
                + es.passwordFile() + ")\" " + es.url() + "/_cluster/health");
        out.println("  curl --cacert " + result.ca() + " -u " + QuickstartElasticsearch.VIEWER_USER + ":\"$(cat "
                + es.viewerPasswordFile() + ")\" '" + es.url() + "/logs-*,metrics-*/_search?size=3&pretty'");
    }

    /** Prepares everything and starts the server (tests call this directly). */
    public Quickstart.Result start() {
        String host = publicHost != null ? publicHost : defaultPublicHost();
        Path data = dataDir.toAbsolutePath();
        Path certs = data.resolve("certs");
        boolean reused = Files.isRegularFile(certs.resolve(ServerCertificates.CERT_FILE));
        try {
            ServerCertificates.Found found = reused
                    ? new ServerCertificates.Found(certs.resolve(ServerCertificates.CERT_FILE),
                            certs.resolve(ServerCertificates.KEY_FILE), certs.resolve(ServerCertificates.CA_FILE),
                            ServerCertificates.Origin.DATA_DIR)
                    : ServerCertificates.generate(certs, names(host), LocalAddresses.ips());
            TlsSettings tls = TlsSettings.builder().source("quickstart").certificate(found.certificate())
                    .key(found.key()).clientAuthentication(ClientAuthentication.NONE).build();
            int mport = managementPort != null ? managementPort : port == 0 ? 0 : ManagementSettings.DEFAULT_PORT;
            QuickstartElasticsearch es = withElasticsearch ? QuickstartElasticsearch.start(data, found.ca(),
                    certs.resolve(ServerCertificates.CA_KEY_FILE), elasticsearchPort, names(host), this::say) : null;
            FleetServer server = null;
            try {
                FleetServerConfig.Builder config = FleetServerConfig.builder().host(bindHost).port(port)
                        .dataDir(data).tls(tls)
                        .management(ManagementSettings.defaults().withAddress("127.0.0.1", mport));
                if (es != null) {
                    config.store(es.store());
                }
                server = FleetServer.start(config.build());
                String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
                Quickstart.Setup setup = Quickstart.ensurePolicyAndToken(server, data, POLICY_ID, url,
                        es != null ? es.url().toString() : elasticsearch);
                if (es != null && server.management() != null
                        && QuickstartOutput.pointAt(server.management(), found.ca(), es)) {
                    say("Default output set to " + es.url() + " (user " + QuickstartElasticsearch.OUTPUT_USER
                            + ", CA fingerprint " + es.caFingerprint() + ") through the management API");
                }
                String command = "flotilla agent install --url=" + url + " --enrollment-token=" + setup.token()
                        + " --certificate-authorities=" + found.ca();
                return new Quickstart.Result(server, url, found.ca(), found.caFingerprint(), setup.token(), command,
                        reused && setup.reused(), es);
            } catch (RuntimeException e) {
                new Quickstart.Result(server, null, null, null, null, null, false, es).closeQuietly();
                throw e;
            }
        } catch (IllegalArgumentException | IllegalStateException | TlsException | StoreException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private void say(String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    private static List<String> names(String host) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        if (!isIp(host)) {
            names.add(host);
        }
        names.addAll(LocalAddresses.hostNames());
        return new ArrayList<>(names);
    }

    private static boolean isIp(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static String defaultPublicHost() {
        String name = LocalAddresses.hostName();
        if (name == null) {
            return "localhost";
        }
        try {
            InetAddress.getByName(name);
            return name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
