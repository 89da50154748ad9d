package dev.flotilla.bench.handshake;

import dev.flotilla.bench.internal.BenchTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A minimal HTTPS responder on Netty + BoringSSL, run as its own JVM by the handshake scenario: answers every
 * request with 200 "ok" and closes. With {@code servertls} its TLS comes from Flotilla's {@code ServerTls} (the
 * tls module, as the Fleet Server uses it); with {@code raw} from a bare Netty OpenSSL context, which shows what
 * the tls module adds on top of the engine.
 *
 * <pre>HttpsResponderMain servertls|raw PORT CERT KEY [CLIENT_CA]</pre>
 */
public final class HttpsResponderMain {

    private HttpsResponderMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean raw = args[0].equals("raw");
        int port = Integer.parseInt(args[1]);
        Path cert = Path.of(args[2]);
        Path key = Path.of(args[3]);
        Path ca = args.length > 4 ? Path.of(args[4]) : null;
        Function<ByteBufAllocator, SslHandler> handlers;
        if (raw) {
            SslContextBuilder b = SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3");
            if (ca != null) {
                b.trustManager(ca.toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            SslContext ssl = b.build();
            handlers = ssl::newHandler;
        } else {
            handlers = BenchTls.server(cert, key, ca, "bench responder")::newHandler;
        }
        System.out.println("responder: " + (raw ? "raw Netty OpenSSL context" : "ServerTls") + ", "
                + OpenSsl.versionString() + " available=" + OpenSsl.isAvailable());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(handlers.apply(ch.alloc()), new HttpServerCodec(),
                                    new HttpObjectAggregator(8192), new Ok());
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            server.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    private static final class Ok extends SimpleChannelInboundHandler<HttpRequest> {
        private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(BODY));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
