package dev.flotilla.server;

import dev.flotilla.server.ack.AckHandler;
import dev.flotilla.server.action.AgentActions;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.checkin.ChangeSignal;
import dev.flotilla.server.checkin.ChangeWatcher;
import dev.flotilla.server.checkin.CheckinBatcher;
import dev.flotilla.server.checkin.CheckinHandler;
import dev.flotilla.server.checkin.LongPollHub;
import dev.flotilla.server.enroll.AuditUnenrollHandler;
import dev.flotilla.server.enroll.EnrollHandler;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.http.HttpListener;
import dev.flotilla.server.http.HttpSettings;
import dev.flotilla.server.http.Lifecycle;
import dev.flotilla.server.http.ReadPause;
import dev.flotilla.server.http.Router;
import dev.flotilla.server.management.ManagementServer;
import dev.flotilla.server.management.SecretBox;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import dev.flotilla.server.status.StatusHandler;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import dev.flotilla.server.http.SslHandlerFactory;
import dev.flotilla.tls.ServerTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Fleet Server: the agent API (enroll, check-in long polls, acks, status) over HTTPS on Netty, on a
 * {@link FleetStore}. {@code new FleetServer(config).start()}, then {@link #port()}, the Java API for policies,
 * enrollment tokens and actions, and {@link #close()} (graceful: waiting check-ins answer, new requests get 499).
 */
public final class FleetServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetServer.class);

    private final FleetServerConfig config;
    private final Lifecycle lifecycle = new Lifecycle();
    private FleetStore store;
    private boolean ownsStore;
    private ScheduledExecutorService scheduler;
    /** The change feed's own thread: a policy wake-up never waits behind a check-in flush (seconds of fsyncs). */
    private ScheduledExecutorService changeFeed;
    private ThreadPoolExecutor workers;
    private LongPollHub hub;
    private ReadPause readPause;
    private ChangeWatcher watcher;
    private ChangeSignal changeSignal;
    private CheckinBatcher batcher;
    private HttpListener listener;
    private Policies policies;
    private EnrollmentTokens enrollmentTokens;
    private AgentActions actions;
    private Router router;
    private ServerTls serverTls;
    private ManagementServer management;

    public FleetServer(FleetServerConfig config) {
        this.config = config;
    }

    /** Starts and returns a server; on failure nothing is left running. */
    public static FleetServer start(FleetServerConfig config) {
        return new FleetServer(config).start();
    }

    public synchronized FleetServer start() {
        if (listener != null) {
            throw new IllegalStateException("the Fleet Server is already started");
        }
        try {
            ownsStore = config.store() == null;
            store = ownsStore ? SqliteFleetStore.openInDirectory(config.dataDir()) : config.store();
            scheduler = Executors.newScheduledThreadPool(2, daemon("fleet-scheduler"));
            workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(50_000), daemon("fleet-worker"));
            // the workers of one host (--workers N) answer a fan-out's woken check-ins before anyone's next request
            readPause = config.worker() >= 0 && config.dataDir() != null
                    ? ReadPause.acrossWorkers(config.dataDir(), config.worker()) : new ReadPause();
            hub = store.batchesAgentCoreReads() ? new LongPollHub(readPause, store::findAgentCores, workers)
                    : new LongPollHub(readPause);
            changeFeed = Executors.newSingleThreadScheduledExecutor(daemon("fleet-change-feed"));
            // a change written through one worker of a host wakes the check-ins of all of them at once
            changeSignal = config.worker() >= 0 && config.dataDir() != null ? ChangeSignal.open(config.dataDir()) : null;
            watcher = new ChangeWatcher(store, hub, changeFeed, config.changePollInterval(), changeSignal);
            watcher.start();
            batcher = new CheckinBatcher(store, scheduler, config.checkin().flushInterval());
            Authenticator auth = new Authenticator(store);
            PolicyChangeBuilder policyChanges = config.dataDir() == null ? new PolicyChangeBuilder(store)
                    : new PolicyChangeBuilder(store, SecretBox.loadOrCreate(config.dataDir())::open);
            policies = new Policies(store, watcher::pollNow);
            enrollmentTokens = new EnrollmentTokens(store);
            actions = new AgentActions(store, watcher::pollNow);
            router = AgentApiRoutes.build(config,
                    new StatusHandler(store, auth, lifecycle, config.version(), config.worker()),
                    new EnrollHandler(store, auth),
                    new CheckinHandler(store, auth, batcher, hub, policyChanges, config.checkin(), lifecycle,
                            workers),
                    new AckHandler(store, auth),
                    new AuditUnenrollHandler(store, auth));
            SslHandlerFactory tls = config.tls();
            if (config.tlsSettings() != null) {
                serverTls = ServerTls.create(config.tlsSettings(), "fleet-server", config.ticketKeyFile());
                tls = explained(serverTls);
            }
            try {
                listener = HttpListener.start(config.sharesPort() ? "fleet-server worker " + config.worker()
                        : "fleet-server", httpSettings(), router, tls, lifecycle, workers, config.ioThreads(),
                        config.sharesPort(), readPause);
            } catch (HttpListener.PortUnavailable e) {
                throw e.withHint("Choose another with --fleet-server-port.");
            }
            if (config.management().enabled()) {
                management = ManagementServer.start(this, tls, serverTls != null ? serverTls.certificate() : null,
                        workers);
            }
            lifecycle.set(Lifecycle.State.HEALTHY);
            LOG.info("Fleet Server ready: {} ({}), store {}", url(), config.insecureHttp() ? "plain HTTP"
                    : "TLS " + config.tlsDescription(), store.describe());
            return this;
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
    }

    /** The listener's handler factory, whose handshake failures are explained by the TLS module. */
    private static SslHandlerFactory explained(ServerTls serverTls) {
        return new SslHandlerFactory() {
            @Override
            public SslHandler newHandler(ByteBufAllocator alloc) {
                return serverTls.newHandler(alloc);
            }

            @Override
            public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress peer) {
                return serverTls.newHandler(alloc, peer.getAddress().getHostAddress(), peer.getPort());
            }

            @Override
            public String explainFailure(Throwable failure, String peer) {
                return serverTls.explain(failure, peer).getMessage();
            }
        };
    }

    /** The listener settings, with a write timeout that outlasts the longest long poll by a minute. */
    private HttpSettings httpSettings() {
        HttpSettings http = config.http();
        Duration longest = config.checkin().maxPoll().compareTo(config.checkin().defaultPoll()) > 0
                ? config.checkin().maxPoll() : config.checkin().defaultPoll();
        Duration needed = longest.plusMinutes(1);
        return http.writeTimeout().compareTo(needed) >= 0 ? http : http.withWriteTimeout(needed);
    }

    public int port() {
        return listener.port();
    }

    /** The URL agents reach this server at from this machine. */
    public URI url() {
        return url(config.http().host(), port(), !config.insecureHttp());
    }

    /**
     * The URL clients use for a listener bound to {@code host}: a wildcard bind (0.0.0.0, ::) is reached on
     * loopback, an IPv6 address goes in brackets.
     */
    public static URI url(String host, int port, boolean tls) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? InetAddress.getLoopbackAddress().getHostAddress()
                : host;
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create((tls ? "https" : "http") + "://" + h + ":" + port);
    }

    public FleetServerConfig config() {
        return config;
    }

    public FleetStore store() {
        return store;
    }

    public Policies policies() {
        return policies;
    }

    public EnrollmentTokens enrollmentTokens() {
        return enrollmentTokens;
    }

    public AgentActions actions() {
        return actions;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** The management API (issue 5), or null when {@code config.management()} is disabled. */
    public ManagementServer management() {
        return management;
    }

    /** The agent API's router, for a second listener or tests. */
    public Router router() {
        return router;
    }

    /** Connections open on the agent listener. */
    public int openConnections() {
        return listener.openConnections();
    }

    /** Check-ins waiting right now (long polls). */
    public int waitingCheckins() {
        return hub.waiting();
    }

    /** Writes pending check-ins now instead of at the next flush interval. */
    public void flushCheckins() {
        batcher.flush();
    }

    public long checkinWrites() {
        return batcher.writes();
    }

    /** Graceful stop: new requests get 499, waiting check-ins answer, then connections close. */
    @Override
    public synchronized void close() {
        if (lifecycle.state() == Lifecycle.State.STOPPED) {
            return;
        }
        lifecycle.set(Lifecycle.State.STOPPING);
        LOG.info("Fleet Server stopping: {} requests in flight, {} check-ins waiting", lifecycle.inFlight(),
                hub == null ? 0 : hub.waiting());
        if (listener != null) {
            listener.stopAccepting();
        }
        if (hub != null) {
            hub.wakeAll();
        }
        try {
            if (!lifecycle.awaitIdle(config.shutdownGrace())) {
                LOG.warn("{} requests still running after {}; closing their connections", lifecycle.inFlight(),
                        config.shutdownGrace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopQuietly();
        LOG.info("Fleet Server stopped");
    }

    private void stopQuietly() {
        if (management != null) {
            management.close();
        }
        if (listener != null) {
            listener.close(Duration.ofMillis(200));
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (changeFeed != null) {
            changeFeed.shutdownNow();
        }
        if (changeSignal != null) {
            changeSignal.close();
        }
        if (batcher != null) {
            batcher.close();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (store != null && ownsStore) {
            store.close();
        }
        if (serverTls != null) {
            serverTls.close();
        }
        if (readPause != null) {
            readPause.close();
        }
        lifecycle.set(Lifecycle.State.STOPPED);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
