package dev.flotilla.tls.peers;

import dev.flotilla.tls.ClientTls;
import dev.flotilla.tls.PlainHttpRejector;
import dev.flotilla.tls.ServerTls;
import dev.flotilla.tls.TlsDiagnostics;
import dev.flotilla.tls.TlsException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Netty HTTPS server and client around {@link ServerTls} / {@link ClientTls}, as the server and agent will use them. */
public final class NettyPeers implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** What a client saw: the HTTP body, the server's chain and protocol; or the explained failure. */
    public record Outcome(String body, List<X509Certificate> serverChain, String protocol, TlsException failure) {
        public boolean ok() {
            return failure == null && body != null;
        }
    }

    /** An HTTPS server answering "hello <client certificate subject or anonymous>" and closing. */
    public final class Server implements AutoCloseable {
        private final Channel channel;
        /** Failures the server side saw, explained. */
        public final Queue<TlsException> failures = new ConcurrentLinkedQueue<>();

        Server(ServerTls tls, boolean rejectPlainHttp) throws InterruptedException {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = tls.newHandler(ch.alloc());
                            if (rejectPlainHttp) {
                                ch.pipeline().addLast(new PlainHttpRejector(tls.hop()));
                            }
                            ch.pipeline().addLast(ssl, new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                            String who = clientSubject(ssl.engine().getSession());
                                            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.OK, Unpooled.copiedBuffer("hello " + who
                                                    + "\n", StandardCharsets.UTF_8));
                                            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH,
                                                    resp.content().readableBytes());
                                            if (HttpUtil.isKeepAlive(req)) {
                                                ctx.writeAndFlush(resp);
                                            } else {
                                                resp.headers().set(HttpHeaderNames.CONNECTION,
                                                        HttpHeaderValues.CLOSE);
                                                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                                            }
                                        }

                                        @Override
                                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                            failures.add(tls.explain(cause,
                                                    String.valueOf(ctx.channel().remoteAddress())));
                                            ctx.close();
                                        }
                                    });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        public int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
        }
    }

    public Server server(ServerTls tls) throws InterruptedException {
        return new Server(tls, false);
    }

    /** A server with {@link PlainHttpRejector} before its SslHandler. */
    public Server serverRejectingPlainHttp(ServerTls tls) throws InterruptedException {
        return new Server(tls, true);
    }

    static String clientSubject(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            return ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "anonymous";
        }
    }

    /** GET / over TLS with {@code tls}; waits at most 10 s. */
    public Outcome get(ClientTls tls, String host, int port) throws InterruptedException {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        SslHandler[] handler = new SslHandler[1];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                        handler[0] = ssl;
                        ch.pipeline().addLast(ssl, new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        SSLSession s = ssl.engine().getSession();
                                        List<X509Certificate> chain;
                                        try {
                                            chain = List.of(s.getPeerCertificates()).stream()
                                                    .map(X509Certificate.class::cast).toList();
                                        } catch (SSLPeerUnverifiedException e) {
                                            chain = List.of();
                                        }
                                        result.complete(new Outcome(r.content().toString(StandardCharsets.UTF_8),
                                                chain, s.getProtocol(), null));
                                        ctx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        result.complete(new Outcome(null, List.of(), null,
                                                tls.explain(cause, ssl, host, port)));
                                        ctx.close();
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        // s_server -www ends its HTTP/1.0 answer with close_notify; finish the read
                                        if (evt instanceof SslCloseCompletionEvent) {
                                            ctx.close();
                                        }
                                        ctx.fireUserEventTriggered(evt);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        ssl.handshakeFuture().addListener(f -> {
                                            if (!f.isSuccess()) {
                                                result.complete(new Outcome(null, List.of(), null,
                                                        tls.explain(f.cause(), ssl, host, port)));
                                            } else {
                                                result.complete(new Outcome(null, List.of(), null, tls.explain(
                                                        new java.io.IOException("connection closed without an "
                                                                + "answer"), ssl, host, port)));
                                            }
                                        });
                                    }
                                });
                    }
                });
        Channel ch;
        try {
            ch = b.connect(host, port).sync().channel();
        } catch (Exception e) {
            return new Outcome(null, List.of(), null, TlsDiagnostics.explain(e, tls.hop(), host, port));
        }
        handler[0].handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
                req.headers().set(HttpHeaderNames.HOST, host);
                req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ch.writeAndFlush(req);
            } else {
                result.complete(new Outcome(null, List.of(), null, tls.explain(f.cause(), handler[0], host, port)));
                ch.close();
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ch.close();
            throw new IllegalStateException("no outcome within 10 s from " + host + ":" + port, e);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
