package dev.flotilla.bench.agents;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The simulated agents: each is a {@link SimulatedAgent} on its own mTLS connection doing what a real agent does
 * (enroll, check in, ack the policy, long-poll). Connections come from {@code sources} addresses 127.0.0.x so
 * more than one address's ephemeral ports can be used. Shared counters tell the scenario how far they got.
 */
final class AgentFleet implements AutoCloseable {

    final SslContext ssl;
    final Bootstrap bootstrap;
    final String enrollmentToken;
    final int sources;
    /** Source addresses are {@code sourcePrefix + 1..sources} ("127.0.0.": 127.0.0.1 ...). */
    final String sourcePrefix;
    volatile InetSocketAddress server;
    final EventLoopGroup group;
    final List<SimulatedAgent> agents = new ArrayList<>();

    final AtomicInteger enrolled = new AtomicInteger();
    final AtomicInteger polling = new AtomicInteger();
    final AtomicLong errors = new AtomicLong();
    /** TLS handshakes completed, and how many of them resumed a session. */
    final AtomicLong handshakes = new AtomicLong();
    final AtomicLong resumed = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final ConcurrentHashMap<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

    /**
     * Fan-out tracking: the revision being waited for, when it was written (wall clock, ms since the epoch, so
     * that load generators in several processes share the clock) and each agent's arrival (ms after it; -1: not yet).
     */
    volatile long watchedRevision = Long.MAX_VALUE;
    volatile long watchStartMillis;
    final AtomicInteger arrived = new AtomicInteger();
    private long[] arrivals = new long[0];

    final long handshakeTimeoutMillis;

    /** The agents send {@code Accept-Encoding: gzip} (-Dflotilla.bench.gzip, default true), as Go's HTTP client does. */
    final boolean gzip = Boolean.parseBoolean(System.getProperty("flotilla.bench.gzip", "true"));
    /** One check-in answer in this many is read whole ({@link CheckinAnswer#full}), the others only their head. */
    private final int fullReadEvery = Math.max(1, Integer.getInteger("flotilla.bench.full-read-every", 100));
    /** Check-in answers with a POLICY_CHANGE: count, how many came gzip, their bytes as sent (body, after gzip). */
    final AtomicLong policyAnswers = new AtomicLong();
    final AtomicLong gzipPolicyAnswers = new AtomicLong();
    final AtomicLong policyAnswerBytes = new AtomicLong();
    /** Check-in answers read whole, and their bytes after inflating. */
    final AtomicLong fullReads = new AtomicLong();
    final AtomicLong fullReadBytes = new AtomicLong();
    private final AtomicLong answersRead = new AtomicLong();

    AgentFleet(SslContext ssl, String enrollmentToken, int port, String sourcePrefix, int sources, int ioThreads,
               Duration connectTimeout, Duration handshakeTimeout) {
        this.sourcePrefix = sourcePrefix;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        this.ssl = ssl;
        this.enrollmentToken = enrollmentToken;
        this.sources = sources;
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true);
    }

    int size() {
        return agents.size();
    }

    /**
     * Adds agents until {@code total} exist, at most {@code inFlight} of them between connect and their first
     * long poll; returns when all are long-polling or {@code timeout} passes.
     */
    void grow(int total, int inFlight, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (agents.size() < total && System.nanoTime() < deadline) {
            int ramping = agents.size() - polling.get();
            for (int i = ramping; i < inFlight && agents.size() < total; i++) {
                SimulatedAgent a = new SimulatedAgent(this, agents.size());
                agents.add(a);
                a.start();
            }
            Thread.sleep(20);
        }
        await(() -> polling.get() >= total, deadline);
    }

    /** Enrollment only: {@code connections} keep-alive connections enrolling one agent after another. */
    EnrollLoad enrollLoad(int connections, Duration length) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        AtomicLong done = new AtomicLong();
        List<SimulatedAgent> enrollers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SimulatedAgent e = SimulatedAgent.enroller(this, 1_000_000 + i, end, done);
            enrollers.add(e);
            e.start();
        }
        long start = System.nanoTime();
        await(() -> System.nanoTime() >= end, end + 1);
        long count = done.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        enrollers.forEach(SimulatedAgent::close);
        return new EnrollLoad(count, seconds);
    }

    record EnrollLoad(long enrollments, double seconds) {
        double perSecond() {
            return enrollments / seconds;
        }
    }

    /**
     * Starts watching for {@code revision}: agents record when their long poll hands it to them, in ms after
     * {@code startMillis} (wall clock; the change may be made in another process).
     */
    synchronized void watch(long revision, long startMillis) {
        long[] fresh = new long[agents.size()];
        Arrays.fill(fresh, -1);
        arrivals = fresh;
        arrived.set(0);
        watchStartMillis = startMillis;
        watchedRevision = revision;
    }

    /** TLS handshakes waiting to start, per event loop ({@link SimulatedAgent}'s TlsAfterConnect). */
    private final Map<EventLoop, ArrayDeque<Runnable>> tlsStarts =
            new ConcurrentHashMap<>();

    /**
     * Runs {@code start} on {@code loop} in a later turn: at most {@code batch} starts per turn, 1 ms apart, so the
     * loop reads and writes its other connections in between. Called on {@code loop}.
     */
    void startTls(EventLoop loop, Runnable start, int batch) {
        ArrayDeque<Runnable> queue = tlsStarts.computeIfAbsent(loop, l -> new ArrayDeque<>());
        queue.add(start);
        if (queue.size() == 1) {
            loop.schedule(() -> drainTlsStarts(loop, queue, batch), 1, TimeUnit.MILLISECONDS);
        }
    }

    private void drainTlsStarts(EventLoop loop, ArrayDeque<Runnable> queue, int batch) {
        for (int i = 0; i < batch && !queue.isEmpty(); i++) {
            queue.poll().run();
        }
        if (!queue.isEmpty()) {
            loop.schedule(() -> drainTlsStarts(loop, queue, batch), 1, TimeUnit.MILLISECONDS);
        }
    }

    /** Reads a check-in answer: one in {@code fullReadEvery} whole, the others their head; counts policy answers. */
    CheckinAnswer readAnswer(ByteBuf content, boolean gzipped) throws IOException {
        int wire = content.readableBytes();
        CheckinAnswer answer;
        if (answersRead.incrementAndGet() % fullReadEvery == 0) {
            byte[] json = CheckinAnswer.whole(content, gzipped);
            answer = CheckinAnswer.parse(json);
            fullReads.incrementAndGet();
            fullReadBytes.addAndGet(json.length);
        } else {
            answer = CheckinAnswer.head(content, gzipped);
        }
        if (answer.actions().stream().anyMatch(a -> "POLICY_CHANGE".equals(a.type()))) {
            policyAnswers.incrementAndGet();
            policyAnswerBytes.addAndGet(wire);
            if (gzipped) {
                gzipPolicyAnswers.incrementAndGet();
            }
        }
        return answer;
    }

    /** Called by an agent when it receives a POLICY_CHANGE of {@code revision}. */
    synchronized void policyArrived(SimulatedAgent agent, long revision) {
        if (revision >= watchedRevision && agent.index < arrivals.length && arrivals[agent.index] < 0) {
            arrivals[agent.index] = Math.max(0, System.currentTimeMillis() - watchStartMillis);
            arrived.incrementAndGet();
        }
    }

    /** The arrivals so far (ms after the change), in no order; agents that did not get it yet are not in it. */
    synchronized long[] arrivals() {
        return Arrays.stream(arrivals).filter(v -> v >= 0).toArray();
    }

    /** Percentiles (nearest rank) of latencies in ms; NaN when there are none. */
    static double[] percentiles(long[] millis, double... qs) {
        long[] got = millis.clone();
        Arrays.sort(got);
        double[] out = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            out[i] = got.length == 0 ? Double.NaN
                    : got[(int) Math.min(got.length - 1, Math.floor(qs[i] * got.length))];
        }
        return out;
    }

    void error(String what) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, what);
        String kind = what.length() > 90 ? what.substring(0, 90) : what;
        errorKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** The most frequent error kinds (first 90 characters) with their counts. */
    String topErrors(int n) {
        return errorKinds.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
                .limit(n).map(e -> e.getValue().get() + " x " + e.getKey()).toList().toString();
    }

    static boolean await(BooleanSupplier condition, long deadlineNanos) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    @Override
    public void close() {
        agents.forEach(SimulatedAgent::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
