package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.internal.TicketKeyFile;
import dev.flotilla.tls.peers.Command;
import dev.flotilla.tls.peers.NettyPeers;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session tickets that outlive the server process: {@code openssl s_client -sess_out} against one server, that server
 * stopped, {@code -sess_in} against a new one on the same ticket-key file. The ticket resumes when the trust
 * configuration is the same, and does not when it changed (the client then does a full handshake, with its
 * certificate checked against the new CAs).
 */
class PersistentTicketsTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static TestCertificates pki;
    static TestCertificates other;
    static TestCertificates.Issued server;
    static TestCertificates.Issued client;

    @BeforeAll
    static void setUp() {
        peers = new NettyPeers();
        pki = TestCertificates.ec(dir.resolve("pki"));
        other = pki.otherCa("other");
        server = pki.server("localhost");
        client = pki.client("agent-1");
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    @Test
    void aTicketFromAStoppedServerResumesOnTheNextOneWithTheSameKeyFile() throws Exception {
        for (String version : List.of("TLSv1.3", "TLSv1.2")) {
            Path keys = dir.resolve("restart-" + version).resolve("tls-ticket.keys");
            Path session = dir.resolve("restart-" + version + ".pem");
            String first = onFreshServer(mtls(version), keys, version, "-sess_out", session);
            assertThat(first).contains("hello CN=agent-1").contains("New, TLSv1.").doesNotContain("Reused,");
            String fileBefore = Files.readString(keys);

            String second = onFreshServer(mtls(version), keys, version, "-sess_in", session);
            assertThat(second).as(version).contains("Reused, TLSv1.").contains("hello CN=agent-1");
            assertThat(Files.readString(keys)).as("a restart keeps the secrets").isEqualTo(fileBefore);

            // the same restart without the file: the ticket dies with the process
            String inMemory = onFreshServer(mtls(version), null, version, "-sess_in", session);
            assertThat(inMemory).as(version).contains("hello CN=agent-1").doesNotContain("Reused,");
        }
    }

    @Test
    void aChangedTrustConfigurationEndsEveryEarlierTicket() throws Exception {
        Path keys = dir.resolve("trust").resolve("tls-ticket.keys");
        Path session = dir.resolve("trust.pem");
        assertThat(onFreshServer(mtls("TLSv1.3"), keys, "TLSv1.3", "-sess_out", session)).contains("hello CN=agent-1");
        assertThat(onFreshServer(mtls("TLSv1.3"), keys, "TLSv1.3", "-sess_in", session)).contains("Reused, TLSv1.3");

        // one more CA trusted: agent-1 is still accepted, but only after a full handshake
        TlsSettings widened = mtls("TLSv1.3").toBuilder().addCertificateAuthority(other.caCertificate()).build();
        String afterChange = onFreshServer(widened, keys, "TLSv1.3", "-sess_in", session);
        assertThat(afterChange).contains("hello CN=agent-1").contains("New, TLSv1.3").doesNotContain("Reused,");

        // agent-1's CA replaced by another one: no resumption, and the full handshake refuses the client
        TlsSettings replaced = mtls("TLSv1.3").toBuilder().certificateAuthorities(List.of()).addCertificateAuthority(
                other.caCertificate()).build();
        String refused = onFreshServer(replaced, keys, "TLSv1.3", "-sess_in", session);
        assertThat(refused).doesNotContain("Reused,").doesNotContain("hello ");
    }

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndADamagedOneIsRefusedNamingTheFix() throws Exception {
        Path keys = dir.resolve("mode").resolve("tls-ticket.keys");
        ServerTls.create(mtls("TLSv1.3"), "Fleet Server", SslProvider.OPENSSL, keys).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(keys).stream().filter(l -> l.startsWith("v1 ")).count()).isEqualTo(1);

        Files.writeString(keys, "v1 2026-11-23T16:00:00Z not-base64!\n");
        assertThatThrownBy(() -> ServerTls.create(mtls("TLSv1.3"), "Fleet Server", SslProvider.OPENSSL, keys))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining(keys.toAbsolutePath().toString())
                .hasMessageContaining("line 1")
                .hasMessageContaining("delete it");
        Files.writeString(keys, "# nothing\n");
        assertThatThrownBy(() -> ServerTls.create(mtls("TLSv1.3"), "Fleet Server", SslProvider.OPENSSL, keys))
                .isInstanceOf(TlsException.class).hasMessageContaining("holds no secret").hasMessageContaining("delete it");

        Files.delete(keys);
        ServerTls.create(mtls("TLSv1.3"), "Fleet Server", SslProvider.OPENSSL, keys).close();
        assertThat(keys).exists();
    }

    @Test
    void afterARotationEarlierTicketsStillResumeUntilTheirSecretIsDropped() throws Exception {
        Path keys = dir.resolve("rotation").resolve("tls-ticket.keys");
        Path session = dir.resolve("rotation.pem");
        Instant t0 = Instant.parse("2026-11-23T00:00:00Z");
        assertThat(onFreshServer(mtls("TLSv1.3"), keys, clock(t0), "-sess_out", session)).contains("New, TLSv1.3");

        String rotated = onFreshServer(mtls("TLSv1.3"), keys, clock(t0.plus(Duration.ofHours(25))), "-sess_in", session);
        assertThat(rotated).contains("Reused, TLSv1.3");
        List<TicketKeyFile.Secret> secrets = new TicketKeyFile(keys, clock(t0.plus(Duration.ofHours(25))))
                .loadOrCreate();
        assertThat(secrets).hasSize(2);
        assertThat(secrets.get(0).created()).isAfter(secrets.get(1).created());

        // two more rotations: the secret of the first ticket is no longer kept
        onFreshServer(mtls("TLSv1.3"), keys, clock(t0.plus(Duration.ofHours(50))), "-sess_out", dir.resolve("x.pem"));
        String dropped = onFreshServer(mtls("TLSv1.3"), keys, clock(t0.plus(Duration.ofHours(75))), "-sess_in",
                session);
        assertThat(dropped).contains("hello CN=agent-1").doesNotContain("Reused,");
        assertThat(new TicketKeyFile(keys, clock(t0.plus(Duration.ofHours(75)))).loadOrCreate())
                .hasSize(TicketKeyFile.KEPT);
    }

    @Test
    void workersOnOneFileAcceptEachOthersTicketsAndTakeInARotationMadeElsewhere() throws Exception {
        Path keys = dir.resolve("workers").resolve("tls-ticket.keys");
        Path session = dir.resolve("workers.pem");
        try (ServerTls one = ServerTls.create(mtls("TLSv1.3"), "worker 0", SslProvider.OPENSSL, keys);
                ServerTls two = ServerTls.create(mtls("TLSv1.3"), "worker 1", SslProvider.OPENSSL, keys);
                NettyPeers.Server s1 = peers.server(one);
                NettyPeers.Server s2 = peers.server(two)) {
            assertThat(sClient(s1.port(), "TLSv1.3", "-sess_out", session)).contains("New, TLSv1.3");
            assertThat(sClient(s2.port(), "TLSv1.3", "-sess_in", session)).contains("Reused, TLSv1.3");

            // another process rotates the file; a server started after it encrypts with the new secret only
            new TicketKeyFile(keys, clock(Instant.now().plus(Duration.ofHours(25)))).loadOrCreate();
            Path fresh = dir.resolve("workers-fresh.pem");
            assertThat(onFreshServer(mtls("TLSv1.3"), keys, "TLSv1.3", "-sess_out", fresh)).contains("New, TLSv1.3");
            // the running worker takes the new secret in (files looked at once a second) and resumes that ticket
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String out = sClient(s1.port(), "TLSv1.3", "-sess_in", fresh);
            while (!out.contains("Reused,") && System.nanoTime() < deadline) {
                out = sClient(s1.port(), "TLSv1.3", "-sess_in", fresh);
            }
            assertThat(out).contains("Reused, TLSv1.3").contains("hello CN=agent-1");
        }
        // a server with its ticket key in memory does not accept that ticket
        assertThat(onFreshServer(mtls("TLSv1.3"), null, "TLSv1.3", "-sess_in", dir.resolve("workers-fresh.pem")))
                .contains("hello CN=agent-1").doesNotContain("Reused,");
    }

    @Test
    void persistenceCanBeTurnedOffForAComparison() throws Exception {
        Path keys = dir.resolve("off").resolve("tls-ticket.keys");
        Path session = dir.resolve("off.pem");
        System.setProperty(ServerTls.PERSISTENT_TICKETS_PROPERTY, "false");
        try {
            assertThat(onFreshServer(mtls("TLSv1.3"), keys, "TLSv1.3", "-sess_out", session)).contains("hello ");
            assertThat(onFreshServer(mtls("TLSv1.3"), keys, "TLSv1.3", "-sess_in", session))
                    .contains("hello CN=agent-1").doesNotContain("Reused,");
            assertThat(keys).doesNotExist();
        } finally {
            System.clearProperty(ServerTls.PERSISTENT_TICKETS_PROPERTY);
        }
    }

    private static Clock clock(Instant at) {
        return Clock.fixed(at, ZoneOffset.UTC);
    }

    /** Starts a server, runs one s_client against it and stops the server again (a restart between calls). */
    private static String onFreshServer(TlsSettings settings, Path keys, String version, String flag, Path session)
            throws Exception {
        ServerTls tls = ServerTls.create(settings, "Fleet Server", SslProvider.OPENSSL, keys);
        return run(tls, version, flag, session);
    }

    private static String onFreshServer(TlsSettings settings, Path keys, Clock clock, String flag, Path session)
            throws Exception {
        ServerTls tls = ServerTls.create(settings, "Fleet Server", SslProvider.OPENSSL, keys, clock);
        return run(tls, "TLSv1.3", flag, session);
    }

    private static String run(ServerTls tls, String version, String flag, Path session) throws Exception {
        try (tls; NettyPeers.Server s = peers.server(tls)) {
            return sClient(s.port(), version, flag, session);
        }
    }

    static TlsSettings mtls(String version) {
        return TlsSettings.builder().certificate(server.certificate()).key(server.key())
                .addCertificateAuthority(pki.caCertificate()).supportedProtocols(List.of(version)).build();
    }

    static String sClient(int port, String version, String sessionFlag, Path session) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_return_error", "-CAfile", pki.caCertificate().toString(),
                version.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3", "-ign_eof", sessionFlag, session.toString(),
                "-cert", client.certificate().toString(), "-key", client.key().toString()));
        return Command.run(dir, cmd, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n").output();
    }
}
