package dev.flotilla.bench.handshake;

import dev.flotilla.bench.internal.KeyExchangeGroup;
import dev.flotilla.bench.internal.Resumption;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The handshake load: {@code connections} concurrent loops, each: connect from the next 127.0.0.x source
 * address, full TLS handshake (the engine is made without peer host/port, so no session is ever resumed), one
 * {@code GET} with {@code Connection: close}, read the 200, close, repeat. With {@code resume}, engines are made
 * for the server's host and port, so the client's session cache offers the tickets it got (what a reconnecting
 * agent does), and the result counts how many handshakes were resumed. Bounded by the warm-up plus the
 * measured time; only exchanges that finish inside the measured window count.
 */
final class HandshakeLoad {

    /** What one load run measured. */
    record Result(long completed, long failed, long resumed, double seconds, double p50Millis, double p99Millis,
                  String firstError, String groups) {
        double perSecond() {
            return completed / seconds;
        }
    }

    private final SslContext ssl;
    private final int connections;
    private final int sourceAddresses;
    private final int threads;
    private final boolean resume;

    HandshakeLoad(SslContext ssl, int connections, int sourceAddresses, int threads, boolean resume) {
        this.resume = resume;
        this.ssl = ssl;
        this.connections = connections;
        this.sourceAddresses = sourceAddresses;
        this.threads = threads;
    }

    Result run(int port, String path, Duration warmup, Duration measure) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        try {
            Window window = new Window(System.nanoTime() + warmup.toNanos(), measure);
            InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .option(ChannelOption.TCP_NODELAY, true);
            CountDownLatch done = new CountDownLatch(connections);
            for (int i = 0; i < connections; i++) {
                new Loop(bootstrap, remote, path, window, done).next();
            }
            long bound = warmup.plus(measure).plusSeconds(15).toMillis();
            if (!done.await(bound, TimeUnit.MILLISECONDS)) {
                window.error("some connections still open " + bound + " ms after the start; the server stalled");
            }
            return window.result();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** The measured window: counts, latencies (only inside the window), the first error. */
    private static final class Window {
        private final long start;
        private final long end;
        private final AtomicLong completed = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong resumed = new AtomicLong();
        private final long[] latencies = new long[1 << 21];
        private final AtomicInteger latencyCount = new AtomicInteger();
        private final AtomicReference<String> firstError = new AtomicReference<>();
        /** Handshakes per key-exchange group, counted inside the window. */
        private final ConcurrentHashMap<String, AtomicLong> groups = new ConcurrentHashMap<>();

        Window(long start, Duration measure) {
            this.start = start;
            this.end = start + measure.toNanos();
        }

        boolean open(long now) {
            return now < end;
        }

        void success(long began, long now, boolean wasResumed, String group) {
            if (began >= start && now <= end) {
                completed.incrementAndGet();
                groups.computeIfAbsent(group, g -> new AtomicLong()).incrementAndGet();
                if (wasResumed) {
                    resumed.incrementAndGet();
                }
                int i = latencyCount.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = now - began;
                }
            }
        }

        void failure(long now, String error) {
            if (now >= start && now <= end) {
                failed.incrementAndGet();
            }
            error(error);
        }

        void error(String error) {
            firstError.compareAndSet(null, error);
        }

        Result result() {
            int n = Math.min(latencyCount.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return new Result(completed.get(), failed.get(), resumed.get(), (end - start) / 1e9, percentile(sorted, 0.50),
                    percentile(sorted, 0.99), firstError.get(), new TreeMap<>(groups).toString());
        }

        private static double percentile(long[] sorted, double q) {
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
        }
    }

    /** One of the concurrent connect-handshake-request-close loops. */
    private final class Loop {
        private final Bootstrap bootstrap;
        private final InetSocketAddress remote;
        private final String path;
        private final Window window;
        private final CountDownLatch done;
        private int round;
        private final int id = LOOP_IDS.getAndIncrement();

        Loop(Bootstrap bootstrap, InetSocketAddress remote, String path, Window window, CountDownLatch done) {
            this.bootstrap = bootstrap;
            this.remote = remote;
            this.path = path;
            this.window = window;
            this.done = done;
        }

        void next() {
            long began = System.nanoTime();
            if (!window.open(began)) {
                done.countDown();
                return;
            }
            int source = 1 + (id + round++) % sourceAddresses;
            InetSocketAddress local = new InetSocketAddress("127.0.0." + source, 0);
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(resume ? ssl.newHandler(ch.alloc(), "localhost", remote.getPort())
                            : ssl.newHandler(ch.alloc()), new HttpClientCodec(),
                            new HttpObjectAggregator(65536), new Exchange(began));
                }
            }).connect(remote, local);
            f.addListener(c -> {
                if (!c.isSuccess()) {
                    window.failure(System.nanoTime(), "connect: " + c.cause());
                    next();
                } else {
                    f.channel().closeFuture().addListener(x -> next());
                }
            });
        }

        private final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
            private final long began;
            private boolean resumedSession;
            private String group = "unknown";
            private boolean answered; // accounted for: success or failure counted

            Exchange(long began) {
                this.began = began;
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof SslHandshakeCompletionEvent e) {
                    if (!e.isSuccess()) {
                        answered = true;
                        window.failure(System.nanoTime(), "handshake: " + e.cause());
                        ctx.close();
                        return;
                    }
                    SSLEngine engine = ctx.pipeline().get(SslHandler.class).engine();
                    resumedSession = resume && Resumption.wasResumed(engine);
                    group = KeyExchangeGroup.of(engine);
                    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
                    req.headers().set(HttpHeaderNames.HOST, "localhost")
                            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(req);
                }
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                answered = true;
                if (response.status().code() == 200) {
                    window.success(began, System.nanoTime(), resumedSession, group);
                } else {
                    window.failure(System.nanoTime(), "HTTP " + response.status());
                }
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!answered) {
                    window.failure(System.nanoTime(), "closed before a response");
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                window.error(cause.toString());
                Channel ch = ctx.channel();
                ch.close();
            }
        }
    }

    private static final AtomicInteger LOOP_IDS = new AtomicInteger();
}
