package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.NettyPeers;
import io.netty.handler.ssl.SslProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replacing the server certificate on disk: an open connection keeps working with the certificate it was opened
 * with, the next handshake presents the new one; a half-written file is not taken and does not break new
 * handshakes.
 */
class ServerTlsReloadTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void newHandshakesGetTheNewCertificateOpenConnectionsKeepWorking(SslProvider provider) throws Exception {
        TestCertificates pki = TestCertificates.ec(dir.resolve("pki"));
        TestCertificates.Issued first = pki.issue("first", b -> b.dns(java.util.List.of("localhost"))
                .ips(java.util.List.of("127.0.0.1")));
        TestCertificates.Issued second = pki.issue("second", b -> b.dns(java.util.List.of("localhost"))
                .ips(java.util.List.of("127.0.0.1")));
        Path crt = dir.resolve("fleet.crt");
        Path key = dir.resolve("fleet.key");
        Files.copy(first.certificate(), crt);
        Files.copy(first.key(), key);
        ServerTls tls = ServerTls.create(TlsSettings.builder().certificate(crt).key(key).build(), "Fleet Server",
                provider);
        ClientTls client = ClientTls.create(TlsSettings.builder().addCertificateAuthority(pki.caCertificate())
                .build(), "agent -> Fleet Server");
        try (NettyPeers peers = new NettyPeers(); NettyPeers.Server server = peers.server(tls);
                SSLSocket open = (SSLSocket) client.jdk().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(open.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream out = open.getOutputStream();
            assertThat(request(out, in)).isEqualTo("hello anonymous");
            assertThat(subject(open)).isEqualTo("CN=first");

            // a half-written certificate file is not taken: new handshakes still get the first certificate
            Files.writeString(crt, "-----BEGIN CERTIFICATE-----\nMIIB");
            assertThat(tls.reloadIfChanged()).isFalse();
            NettyPeers.Outcome during = peers.get(client, "127.0.0.1", server.port());
            assertThat(during.failure()).isNull();
            assertThat(during.serverChain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=first");

            // the new pair lands (key first, then certificate, each by rename as deploy tools do)
            replace(second.key(), key);
            replace(second.certificate(), crt);

            // new handshakes get the new pair once the files are next checked (at most once a second)
            NettyPeers.Outcome next = until(() -> peers.get(client, "127.0.0.1", server.port()),
                    o -> o.failure() == null
                            && o.serverChain().get(0).getSubjectX500Principal().getName().equals("CN=second"));
            assertThat(next.failure()).isNull();
            assertThat(next.serverChain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=second");
            assertThat(tls.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=second");

            // the connection opened before the change still works, with the certificate it started with
            assertThat(request(out, in)).isEqualTo("hello anonymous");
            assertThat(subject(open)).isEqualTo("CN=first");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void aReplacedClientCaPoolIsUsedByNewHandshakes(SslProvider provider) throws Exception {
        TestCertificates oldCa = TestCertificates.rsa(dir.resolve("old"));
        TestCertificates newCa = TestCertificates.rsa(dir.resolve("new"));
        TestCertificates.Issued server = oldCa.server("localhost");
        TestCertificates.Issued oldAgent = oldCa.client("agent-old");
        TestCertificates.Issued newAgent = newCa.client("agent-new");
        Path pool = dir.resolve("clients-ca.crt");
        Files.copy(oldCa.caCertificate(), pool);
        ServerTls tls = ServerTls.create(TlsSettings.builder().certificate(server.certificate()).key(server.key())
                .addCertificateAuthority(pool).build(), "Fleet Server", provider);
        TlsSettings.Builder trust = TlsSettings.builder().addCertificateAuthority(oldCa.caCertificate());
        ClientTls oldClient = ClientTls.create(trust.certificate(oldAgent.certificate()).key(oldAgent.key()).build(),
                "agent -> Fleet Server");
        ClientTls newClient = ClientTls.create(trust.certificate(newAgent.certificate()).key(newAgent.key()).build(),
                "agent -> Fleet Server");
        try (NettyPeers peers = new NettyPeers(); NettyPeers.Server s = peers.server(tls)) {
            assertThat(peers.get(oldClient, "127.0.0.1", s.port()).body()).contains("hello CN=agent-old");
            assertThat(peers.get(newClient, "127.0.0.1", s.port()).failure().problem())
                    .isEqualTo(TlsProblem.CLIENT_CERTIFICATE_REJECTED);
            replace(newCa.caCertificate(), pool);
            NettyPeers.Outcome accepted = until(() -> peers.get(newClient, "127.0.0.1", s.port()),
                    o -> o.failure() == null);
            assertThat(accepted.body()).contains("hello CN=agent-new");
            assertThat(peers.get(oldClient, "127.0.0.1", s.port()).failure().problem())
                    .isEqualTo(TlsProblem.CLIENT_CERTIFICATE_REJECTED);
        }
    }

    /** Repeats {@code attempt} until {@code done} holds or 10 s passed; returns the last outcome. */
    private static <T> T until(Callable<T> attempt, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        T last = attempt.call();
        while (!done.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            last = attempt.call();
        }
        return last;
    }

    /** Within {@link ServerTls#CHECK_INTERVAL} of a change, new handshakes may still get the old material. */
    private static void replace(Path source, Path target) throws Exception {
        Path tmp = Files.createTempFile(target.getParent(), "new", ".tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String subject(SSLSocket socket) throws Exception {
        return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    /** One keep-alive HTTP/1.1 request on the open connection; returns the body line. */
    private static String request(OutputStream out, BufferedReader in) throws Exception {
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int length = -1;
        String line;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            read += in.read(body, read, length - read);
        }
        return new String(body).trim();
    }
}
