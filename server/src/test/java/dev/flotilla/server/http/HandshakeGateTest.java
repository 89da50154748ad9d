package dev.flotilla.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.KeySpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handshake pacing on a real TLS listener: at the bound, accepting stops (new clients wait in the backlog and
 * their handshakes do not start); a finished or abandoned handshake frees a place and accepting resumes.
 */
@Timeout(60)
class HandshakeGateTest {
    private EventLoopGroup boss;
    private EventLoopGroup io;
    private Channel server;
    private HandshakeGate gate;
    private SSLContext client;

    @BeforeEach
    void start() throws Exception {
        Credential cred = CertificateBuilder.forLeaf("localhost").dns(List.of("localhost")).ips(List.of("127.0.0.1"))
                .keySpec(KeySpec.ec("P-256")).build();
        SslContext tls = SslContextBuilder.forServer(cred.key(), cred.certificate()).build();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cred.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        client = SSLContext.getInstance("TLSv1.3");
        client.init(null, tmf.getTrustManagers(), null);

        gate = new HandshakeGate(2);
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), gate.newGate());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().awaitUninterruptibly();
        boss.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        io.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    private int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private SSLSocket handshake(Duration timeout) throws Exception {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
        s.setSoTimeout((int) timeout.toMillis());
        s.startHandshake();
        return s;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void atTheBoundNewHandshakesWaitUntilOneEnds() throws Exception {
        // unpaced, a handshake completes and its place is free again
        try (SSLSocket first = handshake(Duration.ofSeconds(10))) {
            assertThat(first.getSession().getProtocol()).isEqualTo("TLSv1.3");
            await("the finished handshake's place is free", () -> gate.inProgress() == 0);
        }
        assertThat(gate.pauses()).isZero();

        // two clients that connect and never say hello hold both places
        Socket stalled1 = new Socket("127.0.0.1", port());
        Socket stalled2 = new Socket("127.0.0.1", port());
        try {
            await("two handshakes in progress, accepting paused",
                    () -> gate.inProgress() == 2 && gate.pauses() == 1);
            // the pause is applied by a task on the listener's event loop: let the tasks queued before this one run
            server.eventLoop().submit(() -> { }).sync();
            assertThat(server.config().isAutoRead()).isFalse();

            // a third client gets through TCP (the backlog) but its handshake is not served while both are held
            assertThatThrownBy(() -> handshake(Duration.ofMillis(1500)).close())
                    .isInstanceOf(SocketTimeoutException.class);

            // one held handshake is abandoned: accepting resumes and a new client completes its handshake
            stalled1.close();
            try (SSLSocket after = handshake(Duration.ofSeconds(10))) {
                assertThat(after.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
        } finally {
            stalled1.close();
            stalled2.close();
        }
        await("every place free once the clients are gone", () -> gate.inProgress() == 0);
        assertThat(gate.pauses()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theBoundComesFromTheSystemPropertyAndAMalformedOneIsNamed() {
        String before = System.getProperty(HandshakeGate.MAX_PROPERTY);
        try {
            System.clearProperty(HandshakeGate.MAX_PROPERTY);
            assertThat(HandshakeGate.fromSystemProperty().max()).isEqualTo(HandshakeGate.DEFAULT_MAX);
            System.setProperty(HandshakeGate.MAX_PROPERTY, " 16 ");
            assertThat(HandshakeGate.fromSystemProperty().max()).isEqualTo(16);
            System.setProperty(HandshakeGate.MAX_PROPERTY, "lots");
            assertThatThrownBy(HandshakeGate::fromSystemProperty).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-Dflotilla.server.max-handshakes=lots");
            System.setProperty(HandshakeGate.MAX_PROPERTY, "0");
            assertThatThrownBy(HandshakeGate::fromSystemProperty).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: >= 1");
        } finally {
            if (before == null) {
                System.clearProperty(HandshakeGate.MAX_PROPERTY);
            } else {
                System.setProperty(HandshakeGate.MAX_PROPERTY, before);
            }
        }
    }
}
