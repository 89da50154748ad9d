package dev.flotilla.bench.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated agent on one keep-alive mTLS connection: enroll, check in, ack each action it gets, check in
 * again (the long poll), for ever. On a lost connection or an error status it reconnects after a jittered,
 * growing backoff (0.5 s doubling to 8 s) and resumes where it was, offering its TLS session ticket from the
 * previous connection (as the agent's HttpClient does). An "enroller" only enrolls, back to back.
 */
final class SimulatedAgent {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "2023-06-01";

    final int index;
    private final AgentFleet fleet;
    private final long enrollUntil; // enroller mode: stop enrolling at this nanoTime (0: a normal agent)
    private final AtomicLong enrollCount;

    private Channel channel;
    private String agentId;
    private String authorization;
    private String ackToken = "";
    private long revision = -1;
    private boolean wasPolling;
    private long backoffMillis = 500;
    private volatile boolean closed;

    SimulatedAgent(AgentFleet fleet, int index) {
        this(fleet, index, 0, null);
    }

    private SimulatedAgent(AgentFleet fleet, int index, long enrollUntil, AtomicLong enrollCount) {
        this.fleet = fleet;
        this.index = index;
        this.enrollUntil = enrollUntil;
        this.enrollCount = enrollCount;
    }

    static SimulatedAgent enroller(AgentFleet fleet, int index, long until, AtomicLong count) {
        return new SimulatedAgent(fleet, index, until, count);
    }

    void start() {
        connect();
    }

    void close() {
        closed = true;
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        InetSocketAddress local = new InetSocketAddress(fleet.sourcePrefix + (1 + index % fleet.sources), 0);
        fleet.bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // An engine for a peer, as a real agent's: the context's session cache then offers this agent's
                // ticket on its reconnects (resumption). Every simulated agent has its own cache entry, keyed by
                // the server's address and the agent's index in the key's port field (the connection still goes
                // to fleet.server): a real agent has a cache of its own, not one shared with 18,000 others.
                io.netty.handler.ssl.SslHandler tls = fleet.ssl.newHandler(ch.alloc(),
                        fleet.server.getAddress().getHostAddress(), 1 + index);
                tls.setHandshakeTimeoutMillis(fleet.handshakeTimeoutMillis);
                ch.pipeline().addLast(new TlsAfterConnect(tls), new HttpClientCodec(),
                        new HttpObjectAggregator(4 * 1024 * 1024), new Exchange());
            }
        }).connect(fleet.server, local).addListener(f -> {
            if (!f.isSuccess()) {
                fleet.error("connect: " + f.cause());
                retryLater(null);
            }
        });
    }

    /** The next request for where this agent is: enroll, or check in (acks are sent right after a response). */
    private void nextRequest(Channel ch) {
        if (agentId == null) {
            if (enrollCount != null && System.nanoTime() >= enrollUntil) {
                ch.close();
                return;
            }
            send(ch, "/api/fleet/agents/enroll", "ApiKey " + fleet.enrollmentToken, enrollBody());
        } else {
            ObjectNode body = JSON.createObjectNode().put("status", "online").put("message", "Running")
                    .put("poll_timeout", "5m");
            if (!ackToken.isEmpty()) {
                body.put("ack_token", ackToken);
            }
            if (revision > 0 && !wasPolling) {
                wasPolling = true;
                fleet.polling.incrementAndGet();
            }
            send(ch, "/api/fleet/agents/" + agentId + "/checkin", authorization, body);
        }
    }

    private void onCheckin(Channel ch, CheckinAnswer answer) {
        backoffMillis = 500;
        if (answer.ackToken() != null) {
            ackToken = answer.ackToken();
        }
        ArrayNode events = JSON.createArrayNode();
        for (CheckinAnswer.Action action : answer.actions()) {
            if ("POLICY_CHANGE".equals(action.type())) {
                revision = Math.max(revision, action.policyRevision());
                fleet.policyArrived(this, action.policyRevision());
            }
            events.addObject().put("type", "ACTION_RESULT").put("subtype", "ACKNOWLEDGED").put("agent_id", agentId)
                    .put("action_id", action.id()).put("message", "acked")
                    .put("timestamp", java.time.Instant.now().toString());
        }
        if (events.isEmpty()) {
            nextRequest(ch);
        } else {
            ObjectNode ack = JSON.createObjectNode();
            ack.set("events", events);
            send(ch, "/api/fleet/agents/" + agentId + "/acks", authorization, ack);
        }
    }

    private void onResponse(Channel ch, String uri, JsonNode body) {
        backoffMillis = 500;
        if (uri.endsWith("/enroll")) {
            JsonNode item = body.path("item");
            if (enrollCount != null) {
                enrollCount.incrementAndGet();
                nextRequest(ch);
                return;
            }
            agentId = item.path("id").asText();
            authorization = "ApiKey " + item.path("access_api_key").asText();
            fleet.enrolled.incrementAndGet();
            nextRequest(ch);
        } else {
            nextRequest(ch);
        }
    }

    private void send(Channel ch, String uri, String auth, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.wrappedBuffer(bytes));
        req.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length).set(HttpHeaderNames.AUTHORIZATION, auth)
                .set("Elastic-Api-Version", API_VERSION).set(HttpHeaderNames.USER_AGENT, "flotilla-bench-agent");
        if (fleet.gzip) {
            req.headers().set(HttpHeaderNames.ACCEPT_ENCODING, "gzip"); // as Go's HTTP client sends it
        }
        ch.attr(Exchange.URI).set(uri);
        ch.writeAndFlush(req);
    }

    private ObjectNode enrollBody() {
        ObjectNode body = JSON.createObjectNode().put("type", "PERMANENT");
        ObjectNode metadata = body.putObject("metadata");
        ObjectNode local = metadata.putObject("local");
        local.putObject("elastic").putObject("agent").put("version", "8.19.0");
        local.putObject("host").put("hostname", "sim-" + index);
        metadata.putObject("user_provided");
        metadata.putArray("tags").add("bench");
        return body;
    }

    private void retryLater(Channel ch) {
        if (ch != null) {
            ch.close();
        }
        if (closed || (enrollCount != null && System.nanoTime() >= enrollUntil)) {
            return;
        }
        if (wasPolling) {
            wasPolling = false;
            fleet.polling.decrementAndGet();
        }
        long delay = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        backoffMillis = Math.min(8000, backoffMillis * 2);
        fleet.group.next().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the TLS handshake after the connect, a few at a time, instead of inside the connect event. A real agent
     * builds its ClientHello on its own CPU; 18,000 simulated agents share one event loop, and after a server
     * restart thousands of connects complete in one go (into the server's accept queue). Building every ClientHello
     * (hybrid key shares, ~0.2 ms each) inside the connect events, or in tasks the loop runs all before its next
     * read, kept the loop from reading the server's answers to the handshakes already started for seconds, while
     * the server waited. Here at most {@value #BATCH} handshakes start per turn of the loop ({@link AgentFleet#startTls}),
     * so the server's answers are read in between. The same work is done; only its order on the shared core changes
     * (2026-12-07, fifth session).
     */
    private final class TlsAfterConnect extends io.netty.channel.ChannelInboundHandlerAdapter {
        static final int BATCH = 16;
        private final io.netty.handler.ssl.SslHandler tls;

        TlsAfterConnect(io.netty.handler.ssl.SslHandler tls) {
            this.tls = tls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            fleet.startTls(ctx.channel().eventLoop(), () -> {
                if (ctx.channel().isActive() && ctx.pipeline().context(this) != null) {
                    ctx.pipeline().replace(this, "tls", tls); // added to an active channel, it starts the handshake
                } else {
                    io.netty.util.ReferenceCountUtil.release(tls.engine()); // never in a pipeline: free its engine
                }
            }, BATCH);
        }
    }

    /** The connection's handler: sends the first request after the handshake, routes responses. */
    private final class Exchange extends SimpleChannelInboundHandler<FullHttpResponse> {
        static final io.netty.util.AttributeKey<String> URI = io.netty.util.AttributeKey.valueOf("bench.uri");
        private boolean retrying;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            if (closed) {
                ctx.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    fleet.handshakes.incrementAndGet();
                    if (dev.flotilla.bench.internal.Resumption.wasResumed(
                            ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class).engine())) {
                        fleet.resumed.incrementAndGet();
                    }
                    nextRequest(ctx.channel());
                } else {
                    fleet.error("handshake: " + e.cause());
                    retry(ctx);
                }
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) throws IOException {
            String uri = ctx.channel().attr(URI).get();
            int status = response.status().code();
            boolean gzip = "gzip".equalsIgnoreCase(response.headers().get(HttpHeaderNames.CONTENT_ENCODING));
            if (status != 200) {
                fleet.error("HTTP " + status + " on " + (uri == null ? "?" : uri.replaceAll("agents/[^/]+/", "agents/ID/"))
                        + ": " + new String(CheckinAnswer.whole(response.content(), gzip), StandardCharsets.UTF_8));
                retry(ctx);
                return;
            }
            if (uri != null && uri.endsWith("/checkin")) {
                CheckinAnswer answer;
                try {
                    answer = fleet.readAnswer(response.content(), gzip);
                } catch (IOException e) {
                    fleet.error("check-in answer: " + e);
                    retry(ctx);
                    return;
                }
                onCheckin(ctx.channel(), answer);
                return;
            }
            onResponse(ctx.channel(), uri, JSON.readTree(CheckinAnswer.whole(response.content(), gzip)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closed) {
                retry(ctx);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fleet.error("connection: " + cause);
            retry(ctx);
        }

        private void retry(ChannelHandlerContext ctx) {
            if (!retrying) {
                retrying = true;
                retryLater(ctx.channel());
            }
        }
    }
}
