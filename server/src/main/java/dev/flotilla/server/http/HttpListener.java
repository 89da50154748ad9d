package dev.flotilla.server.http;

import dev.flotilla.server.limit.ConnectionLimiter;
import dev.flotilla.tls.PlainHttpRejector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 listener (TLS when an {@link SslHandlerFactory} is given): the pipeline is connection cap ->
 * plain-HTTP rejector -> TLS -> handshake pacing ({@link HandshakeGate}) -> handshake failure log -> HTTP codec (header cap) -> timeouts -> gzip request decoding -> gzip response encoding -> body
 * collection with per-endpoint limits -> dispatch to the router. The agent API and the management API each run
 * one.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final ConnectionLimiter connections;
    private final String name;

    private HttpListener(String name, EventLoopGroup boss, EventLoopGroup io, Channel serverChannel,
                         ChannelGroup channels, ConnectionLimiter connections) {
        this.name = name;
        this.boss = boss;
        this.io = io;
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.connections = connections;
    }

    /** Binds and starts serving; throws with the address in the message when the port is taken. */
    public static HttpListener start(String name, HttpSettings settings, Router router, SslHandlerFactory tls,
                                     Lifecycle lifecycle, Executor workers, int ioThreads) {
        return start(name, settings, router, tls, lifecycle, workers, ioThreads, false, null);
    }

    /**
     * As above; with {@code reusePort} the socket is bound with SO_REUSEPORT, so several processes (the workers of
     * {@code flotilla server --workers N}) listen on the same port and the kernel spreads new connections over them.
     * With {@code readPause} (may be null), a connection just answered reads no new request while a burst of
     * wake-ups is being answered ({@link ReadPause}).
     */
    public static HttpListener start(String name, HttpSettings settings, Router router, SslHandlerFactory tls,
                                     Lifecycle lifecycle, Executor workers, int ioThreads, boolean reusePort,
                                     ReadPause readPause) {
        Transport transport = Transport.fromSystemProperty();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(ioThreads, transport.ioHandlers());
        ChannelGroup channels = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        ConnectionLimiter connections = new ConnectionLimiter(settings.maxConnections());
        ResponseWriter writer = new ResponseWriter(lifecycle, settings.compressionThreshold());
        HandshakeGate handshakes = tls != null ? HandshakeGate.fromSystemProperty() : null;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(transport.serverChannel())
                // the kernel's own bound (net.core.somaxconn, 4096 on current kernels): in a reconnect storm, a
                // connection waiting here for a handshake slot costs its agent seconds, a dropped SYN (backlog full)
                // costs it the client's connect timeout and a backoff
                .option(ChannelOption.SO_BACKLOG, NetUtil.SOMAXCONN)
                .option(transport.reusePort(), reusePort)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("connections", connections);
                        if (tls != null) {
                            p.addLast("plain-http", new PlainHttpRejector(name));
                            p.addLast("tls", tls.newHandler(ch.alloc(), ch.remoteAddress()));
                            p.addLast("handshake-gate", handshakes.newGate());
                            p.addLast("handshake-log", new HandshakeFailureLog(tls));
                        }
                        p.addLast("http", new HttpServerCodec(4096, settings.maxHeaderBytes(), 64 * 1024));
                        p.addLast("timeouts", new ConnectionTimeouts(settings));
                        p.addLast("gunzip", new HttpContentDecompressor(0));
                        p.addLast("gzip", new HttpContentCompressor(settings.compressionThreshold(),
                                StandardCompressionOptions.gzip()));
                        p.addLast("collect", new RequestCollector(router, settings.defaultMaxBody(), writer));
                        p.addLast("dispatch", new RequestDispatcher(router, lifecycle, workers, writer,
                                readPause));
                    }
                });
        try {
            Channel ch = b.bind(settings.host(), settings.port()).sync().channel();
            HttpListener listener = new HttpListener(name, boss, io, ch, channels, connections);
            // a fleet that reconnects at once needs a backlog near its size (docs/workers.md, "Reconnect storms")
            LOG.info("{} listening on {}://{} (accept backlog {}: net.core.somaxconn)", name,
                    tls != null ? "https" : "http", hostPort((InetSocketAddress) ch.localAddress()), NetUtil.SOMAXCONN);
            return listener;
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new PortUnavailable("Cannot listen on " + settings.host() + ":" + settings.port() + " ("
                    + name + "): " + e.getMessage() + ". Is another server using the port?", e);
        }
    }

    /** The port could not be bound. The caller knows which flag chose the port and adds how to change it. */
    public static final class PortUnavailable extends IllegalStateException {
        PortUnavailable(String message, Throwable cause) {
            super(message, cause);
        }

        /** The same failure, its message ending with how to choose another port. */
        public PortUnavailable withHint(String hint) {
            return new PortUnavailable(getMessage() + " " + hint, getCause());
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    public int openConnections() {
        return connections.open();
    }

    /** Stops accepting new connections; open ones keep being served. */
    public void stopAccepting() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    /** Closes every connection and stops the event loops. */
    public void close(Duration quietPeriod) {
        stopAccepting();
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        long quiet = Math.min(quietPeriod.toMillis(), 100);
        boss.shutdownGracefully(0, quiet, TimeUnit.MILLISECONDS);
        io.shutdownGracefully(0, quietPeriod.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(
                quietPeriod.toMillis() + 5000, TimeUnit.MILLISECONDS);
        LOG.info("{} stopped", name);
    }
}
