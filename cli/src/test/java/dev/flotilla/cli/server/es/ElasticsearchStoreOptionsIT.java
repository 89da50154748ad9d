package dev.flotilla.cli.server.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.cli.Flotilla;
import dev.flotilla.cli.UserError;
import dev.flotilla.server.store.es.ElasticsearchFleetStore;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.testing.es.ClusterCertificates;
import dev.flotilla.testing.es.ElasticsearchExtension;
import dev.flotilla.testing.es.ElasticsearchLauncher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The seed's Fleet Server -> Elasticsearch flags against a real cluster that requires client certificates, and
 * {@code flotilla fleet service-token create} against it.
 */
class ElasticsearchStoreOptionsIT {

    @RegisterExtension
    static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder()
            .clientAuthentication("required")
            .user("admin", "admin-password", "superuser"));

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ElasticsearchStoreOptions es;
    }

    @TempDir
    Path temp;

    private Path tokenFile(String token) throws Exception {
        return Files.writeString(temp.resolve("service-token"), token + "\n");
    }

    private ElasticsearchFleetStore connect(String... tlsFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--fleet-server-es=" + ES.node().uri(),
                "--fleet-server-service-token-path=" + tokenFile(ES.node().serviceToken())));
        args.addAll(List.of(tlsFlags));
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args.toArray(String[]::new));
        return probe.es.connect();
    }

    private static ClusterCertificates certs() {
        return ES.node().certificates();
    }

    private static String[] clientCert() {
        return new String[] {"--fleet-server-es-cert=" + certs().clientCertificate(),
                "--fleet-server-es-cert-key=" + certs().clientKey()};
    }

    private static String[] with(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void caFileThenFingerprintEachWithTheClientCertificate() throws Exception {
        try (ElasticsearchFleetStore store = connect(with("--fleet-server-es-ca=" + certs().caCertificate(),
                clientCert()))) {
            store.ping();
        }
        try (ElasticsearchFleetStore store = connect(with("--fleet-server-es-ca-trusted-fingerprint="
                + certs().caFingerprint(), clientCert()))) {
            store.ping();
        }
    }

    @Test
    void wrongCaWrongFingerprintMissingCertificateAndBadTokenAreUserErrors() throws Exception {
        TestCertificates other = TestCertificates.rsa(temp.resolve("other"));

        assertThatThrownBy(() -> connect(with("--fleet-server-es-ca=" + other.caCertificate(), clientCert())))
                .isInstanceOf(UserError.class).hasMessageContaining(ES.node().uri().toString());
        assertThatThrownBy(() -> connect(with("--fleet-server-es-ca-trusted-fingerprint=" + other.caFingerprint(),
                clientCert()))).isInstanceOf(UserError.class).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> connect("--fleet-server-es-ca=" + certs().caCertificate()))
                .isInstanceOf(UserError.class).hasMessageContaining("--fleet-server-es-cert");
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs("--fleet-server-es=" + ES.node().uri(), "--fleet-server-service-token-path="
                + tokenFile("AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL2ZsZWV0OndyvW5n"),
                "--fleet-server-es-ca=" + certs().caCertificate(), clientCert()[0], clientCert()[1]);
        assertThatThrownBy(() -> probe.es.connect()).isInstanceOf(UserError.class)
                .hasMessageContaining("rejected the service token");
    }

    @Test
    void serviceTokenCreateExplainsHowToMakeAFileTokenWhenTheClusterCannotStoreOne() throws Exception {
        Path password = Files.writeString(temp.resolve("password"), "admin-password\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "--password-path=" + password, "--username=admin");

        assertThat(code).as(out + "\n" + err).isEqualTo(1);
        assertThat(err.toString()).contains("bin/elasticsearch-service-tokens create elastic/fleet-server ci-token",
                "--fleet-server-service-token-path");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void serviceTokenCreateWithAWrongPasswordSaysSo() throws Exception {
        Path password = Files.writeString(temp.resolve("password"), "not-the-password");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        assertThat(run(out, err, "--password-path=" + password, "--username=admin")).isEqualTo(1);
        assertThat(err.toString()).contains("rejected user admin");
    }

    private static int run(StringWriter out, StringWriter err, String... extra) {
        CommandLine cli = Flotilla.commandLine();
        CommandLine fleet = cli.getSubcommands().get("fleet");
        if (!fleet.getSubcommands().containsKey("service-token")) {
            fleet.addSubcommand(new ServiceTokenCommand());
        }
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("fleet", "service-token", "create", "--es=" + ES.node().uri(),
                "--es-ca=" + certs().caCertificate(), "--es-cert=" + certs().clientCertificate(),
                "--es-cert-key=" + certs().clientKey(), "--name=ci-token"));
        args.addAll(List.of(extra));
        return cli.execute(args.toArray(String[]::new));
    }
}
