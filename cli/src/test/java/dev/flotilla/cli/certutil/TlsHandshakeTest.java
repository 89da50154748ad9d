package dev.flotilla.cli.certutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real mutual-TLS handshakes between openssl s_server and s_client using only certificates that certutil made:
 * the server demands a client certificate ({@code -Verify 1 -verify_return_error}), the client verifies the
 * server against the CA and its host name.
 */
class TlsHandshakeTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void mutualTlsWithCertutilCertificates(String keyalg) throws Exception {
        make("ca", "--pem", "--keyalg", keyalg, "--out", "ca.zip");
        make("cert", "--name", "server", "--dns", "localhost", "--ip", "127.0.0.1", "--ca-cert", "ca/ca.crt",
                "--ca-key", "ca/ca.key", "--keyalg", keyalg, "--pem", "--out", "server.zip");
        make("cert", "--name", "agent", "--ca-cert", "ca/ca.crt", "--ca-key", "ca/ca.key", "--keyalg", keyalg,
                "--pem", "--pass", "agentpw", "--out", "agent.zip");
        make("ca", "--pem", "--keyalg", keyalg, "--ca-dn", "CN=Rogue CA", "--out", "rogue-ca.zip", "rogue");
        make("cert", "--name", "intruder", "--ca-cert", "rogue/ca/ca.crt", "--ca-key", "rogue/ca/ca.key",
                "--keyalg", keyalg, "--pem", "--out", "intruder.zip");

        // success: both sides verified, data flows both ways
        try (OpensslPeer server = server()) {
            int port = server.awaitPort();
            try (OpensslPeer client = client(port, "localhost", "ca/ca.crt", "agent/agent.crt", "agent/agent.key",
                    "-pass", "pass:agentpw")) {
                assertThat(client.awaitExit()).as(client.output()).isZero();
                assertThat(client.output()).contains("Verify return code: 0 (ok)");
                assertThat(client.stdout()).contains("olleh");
            }
            assertThat(server.awaitExit()).isZero();
            assertThat(server.output()).contains("Peer certificate: CN = agent", "Verification: OK");
        }

        // the server refuses a client without a certificate
        try (OpensslPeer server = server()) {
            int port = server.awaitPort();
            try (OpensslPeer client = client(port, "localhost", "ca/ca.crt", null, null)) {
                client.awaitExit();
                assertThat(client.stdout()).doesNotContain("olleh");
            }
            server.awaitExit();
            assertThat(server.output()).contains("peer did not return a certificate").doesNotContain("Verification: OK");
        }

        // the server refuses a client certificate from another CA
        try (OpensslPeer server = server()) {
            int port = server.awaitPort();
            try (OpensslPeer client = client(port, "localhost", "ca/ca.crt", "intruder/intruder.crt",
                    "intruder/intruder.key")) {
                client.awaitExit();
                assertThat(client.stdout()).doesNotContain("olleh");
            }
            server.awaitExit();
            assertThat(server.output()).contains("unable to get local issuer certificate");
        }

        // the client refuses a server it cannot verify: wrong CA, wrong host name
        for (String[] c : new String[][] {{"localhost", "rogue/ca/ca.crt"}, {"elsewhere.example", "ca/ca.crt"}}) {
            try (OpensslPeer server = server()) {
                int port = server.awaitPort();
                try (OpensslPeer client = client(port, c[0], c[1], "agent/agent.crt", "agent/agent.key",
                        "-pass", "pass:agentpw")) {
                    assertThat(client.awaitExit()).isNotZero();
                    assertThat(client.output()).containsPattern("verify error|certificate verify failed");
                    assertThat(client.stdout()).doesNotContain("olleh");
                }
            }
        }
    }

    private OpensslPeer server() throws Exception {
        return OpensslPeer.start(dir, null, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev",
                "-cert", "server/server.crt", "-key", "server/server.key", "-CAfile", "ca/ca.crt",
                "-Verify", "1", "-verify_return_error");
    }

    private OpensslPeer client(int port, String host, String caFile, String cert, String key, String... extra)
            throws Exception {
        var args = new java.util.ArrayList<>(java.util.List.of("s_client", "-connect", "127.0.0.1:" + port,
                "-servername", host, "-verify_hostname", host, "-CAfile", caFile, "-verify_return_error",
                "-ign_eof"));
        if (cert != null) {
            args.addAll(java.util.List.of("-cert", cert, "-key", key));
        }
        args.addAll(java.util.List.of(extra));
        return OpensslPeer.start(dir, "hello\nCLOSE\n", args.toArray(String[]::new));
    }

    /** Runs certutil with --out relative to the test dir; a last argument names a subdirectory to unzip into. */
    private void make(String... args) throws Exception {
        String sub = null;
        String[] a = args;
        if (!args[args.length - 1].startsWith("-") && !args[args.length - 2].equals("--out")) {
            sub = args[args.length - 1];
            a = java.util.Arrays.copyOf(args, args.length - 1);
        }
        for (int i = 0; i < a.length; i++) {
            if (i > 0 && (a[i - 1].equals("--out") || a[i - 1].equals("--ca-cert") || a[i - 1].equals("--ca-key"))) {
                a[i] = dir.resolve(a[i]).toString();
            }
        }
        Certutil.run(a).assertOk();
        Path target = sub == null ? dir : Files.createDirectories(dir.resolve(sub));
        Certutil.unzip(Path.of(a[java.util.Arrays.asList(a).indexOf("--out") + 1]), target);
    }
}
