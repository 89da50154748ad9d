package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.peers.NettyPeers;
import dev.flotilla.tls.peers.OpensslServer;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that reconnects to the same server resumes its TLS 1.3 session, with the Netty context (handlers made
 * for host and port) and with the JDK context the agent gives {@code HttpClient} (sockets made for host and port);
 * {@code openssl s_server -www} says "New" or "Reused" for each connection.
 */
class ClientResumptionTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static TestCertificates pki;
    static OpensslServer server;

    @BeforeAll
    static void setUp() throws Exception {
        peers = new NettyPeers();
        pki = TestCertificates.ec(dir);
        TestCertificates.Issued cert = pki.server("localhost");
        TestCertificates.Issued client = pki.client("agent-1");
        server = OpensslServer.start(dir, List.of("-cert", cert.certificate().toString(), "-key",
                cert.key().toString(), "-tls1_3", "-Verify", "1", "-CAfile", pki.caCertificate().toString()));
    }

    @AfterAll
    static void tearDown() {
        server.close();
        peers.close();
    }

    static TlsSettings settings() {
        TestCertificates.Issued client = pki.client("agent-" + System.nanoTime());
        return TlsSettings.builder().addCertificateAuthority(pki.caCertificate()).certificate(client.certificate())
                .key(client.key()).build();
    }

    @Test
    void nettyClientResumesWhenItReconnects() throws Exception {
        ClientTls tls = ClientTls.create(settings(), "Fleet Server", SslProvider.OPENSSL);
        NettyPeers.Outcome first = peers.get(tls, "localhost", server.port());
        assertThat(first.ok()).as(String.valueOf(first.failure())).isTrue();
        assertThat(first.body()).contains("New, TLSv1.3");
        NettyPeers.Outcome second = peers.get(tls, "localhost", server.port());
        assertThat(second.body()).contains("Reused, TLSv1.3");

        ClientTls other = ClientTls.create(settings(), "Fleet Server", SslProvider.OPENSSL);
        assertThat(peers.get(other, "localhost", server.port()).body()).as("sessions belong to one context")
                .contains("New, TLSv1.3");
    }

    @Test
    void jdkContextOfTheAgentResumesWhenItReconnects() throws Exception {
        ClientTls tls = ClientTls.create(settings(), "Fleet Server", SslProvider.OPENSSL);
        assertThat(jdkGet(tls)).contains("New, TLSv1.3");
        assertThat(jdkGet(tls)).contains("Reused, TLSv1.3");
    }

    /** GET / over the JDK context (what the agent hands HttpClient), reading until s_server closes. */
    private static String jdkGet(ClientTls tls) throws Exception {
        try (SSLSocket socket = (SSLSocket) tls.jdk().getSocketFactory().createSocket("localhost", server.port())) {
            socket.setSSLParameters(tls.jdkParameters());
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = socket.getInputStream().read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    if (out.toString(StandardCharsets.US_ASCII).contains("</BODY>")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | SSLException e) {
                // what arrived is what s_server said; the assertions judge it
            }
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}
