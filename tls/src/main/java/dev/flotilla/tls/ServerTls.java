package dev.flotilla.tls;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.tls.internal.ChainVerifier;
import dev.flotilla.tls.internal.ClientCertificateTrustManager;
import dev.flotilla.tls.internal.Engines;
import dev.flotilla.tls.internal.FileStamps;
import dev.flotilla.tls.internal.KeyMaterial;
import dev.flotilla.tls.internal.TicketKeyFile;
import dev.flotilla.tls.internal.TicketKeys;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of a listener (Fleet Server's HTTPS port): a BoringSSL context (JDK when BoringSSL cannot load) made
 * from {@link TlsSettings}. Changed certificate, key, passphrase or CA files are picked up by a
 * {@link #newHandler} at most {@link #CHECK_INTERVAL} after the change (the files are checked at most once per
 * interval, not on every connection): new handshakes get the new material, open connections keep theirs. A change that cannot be
 * loaded (a half-written file, a key that does not match) is logged and the previous material stays in use.
 *
 * <p>Session tickets: without a ticket-key file, BoringSSL makes the ticket key in memory, so a restart or a reload
 * ends every ticket. With one ({@link #create(TlsSettings, String, Path)}, e.g. {@code <data-dir>/tls-ticket.keys}),
 * the keys come from the file's secrets and a hash of the trust configuration (client_authentication and the client
 * CAs): tickets survive a restart and are accepted by every process sharing the file, while a change of the trust
 * still ends them all. {@code -Dflotilla.tls.persistent-tickets=false} ignores the file (tickets in memory, as
 * without it).
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    /** New connections look at the files' stamps at most this often. */
    public static final java.time.Duration CHECK_INTERVAL = java.time.Duration.ofSeconds(1);

    /** Set to false to ignore the ticket-key file (tickets then die with the process, as without the file). */
    public static final String PERSISTENT_TICKETS_PROPERTY = "flotilla.tls.persistent-tickets";

    private record Loaded(SslContext context, X509Certificate certificate, FileStamps stamps, byte[] trustHash) {
    }

    private final TlsSettings settings;
    private final String hop;
    private final SslProvider provider;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final Object reloadLock = new Object();
    private volatile FileStamps failedStamps;
    private final AtomicLong nextCheck = new AtomicLong(System.nanoTime() + CHECK_INTERVAL.toNanos());
    private volatile boolean closed;
    private static final java.time.Duration TICKET_RETRY = java.time.Duration.ofMinutes(1);
    private final TicketKeyFile ticketFile;
    private volatile List<TicketKeyFile.Secret> ticketSecrets;
    private volatile FileStamps ticketStamps;
    /** After a failed rotation, when to try again (System.nanoTime): not on every check, nor a warning each time. */
    private volatile long ticketRetryAtNanos = System.nanoTime();

    private ServerTls(TlsSettings settings, String hop, SslProvider provider, TicketKeyFile ticketFile) {
        this.settings = settings;
        this.hop = hop;
        this.provider = provider;
        this.ticketFile = ticketFile;
        if (ticketFile != null) {
            ticketSecrets = ticketFile.loadOrCreate();
            ticketStamps = FileStamps.of(List.of(ticketFile.file()));
        }
        current.set(load(FileStamps.of(KeyMaterial.files(settings))));
    }

    /** A server context on BoringSSL, or on the JDK engine when BoringSSL cannot load (logged). */
    public static ServerTls create(TlsSettings settings, String hop) {
        return create(settings, hop, Engines.preferred());
    }

    /** A server context on the given engine (tests run both). */
    public static ServerTls create(TlsSettings settings, String hop, SslProvider provider) {
        return create(settings, hop, provider, null);
    }

    /**
     * A server context on BoringSSL whose session-ticket keys come from {@code ticketKeyFile} (created mode 600 when
     * missing, rotated daily); null for tickets in memory only.
     *
     * @throws TlsException naming the file and the fix when the file is damaged or cannot be written
     */
    public static ServerTls create(TlsSettings settings, String hop, Path ticketKeyFile) {
        return create(settings, hop, Engines.preferred(), ticketKeyFile);
    }

    /** As {@link #create(TlsSettings, String, Path)} on the given engine. */
    public static ServerTls create(TlsSettings settings, String hop, SslProvider provider, Path ticketKeyFile) {
        return create(settings, hop, provider, ticketKeyFile, Clock.systemUTC());
    }

    static ServerTls create(TlsSettings settings, String hop, SslProvider provider, Path ticketKeyFile, Clock clock) {
        if (!settings.enabled()) {
            throw new TlsException(hop + ": ssl.enabled is false in " + settings.source()
                    + "; serve plain HTTP instead or set ssl.enabled: true");
        }
        if (!settings.hasCertificate()) {
            throw new TlsException(hop + ": a TLS server needs ssl.certificate and ssl.key (" + settings.source()
                    + "); create them with 'flotilla certutil cert' or serve plain HTTP");
        }
        ServerTls tls = new ServerTls(settings, hop, provider, ticketFile(ticketKeyFile, hop, provider, clock));
        log.info("{}: TLS on {} with {}, client_authentication {}, session tickets {}", hop, provider,
                CertificateInfo.describe(tls.certificate()), settings.effectiveClientAuthentication().settingValue(),
                tls.ticketFile == null ? "in memory" : "keyed from " + tls.ticketFile.file());
        return tls;
    }

    private static TicketKeyFile ticketFile(Path file, String hop, SslProvider provider, Clock clock) {
        if (file == null) {
            return null;
        }
        if ("false".equalsIgnoreCase(System.getProperty(PERSISTENT_TICKETS_PROPERTY))) {
            log.info("{}: -D{}=false: not using {}; session tickets end with this process", hop,
                    PERSISTENT_TICKETS_PROPERTY, file);
            return null;
        }
        if (provider == SslProvider.JDK) {
            log.warn("{}: the JDK TLS engine cannot take ticket keys; {} is not used and session tickets end with "
                    + "this process", hop, file);
            return null;
        }
        return new TicketKeyFile(file, clock);
    }

    /** A handler for one accepted connection, with the newest certificate and CAs (files checked once a second). */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return context().newHandler(alloc);
    }

    /**
     * As {@link #newHandler(ByteBufAllocator)}, naming the client's address so that a rejected client certificate
     * is reported with the address it came from.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return context().newHandler(alloc, peerHost, peerPort);
    }

    /** The Netty context new connections get now, after the (throttled) check for changed files. */
    public SslContext context() {
        if (closed) {
            throw new IllegalStateException(hop + ": ServerTls is closed");
        }
        long now = System.nanoTime();
        long due = nextCheck.get();
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + CHECK_INTERVAL.toNanos())) {
            reloadIfChanged();
            refreshTicketKeys();
        }
        return current.get().context();
    }

    /**
     * Reloads when a watched file changed since the last load (checks now, whatever the interval); true when new
     * material is now in use.
     */
    public boolean reloadIfChanged() {
        Loaded loaded = current.get();
        FileStamps now = loaded.stamps().now();
        if (now.equals(loaded.stamps()) || now.equals(failedStamps)) {
            return false;
        }
        synchronized (reloadLock) {
            loaded = current.get();
            if (now.equals(loaded.stamps())) {
                return false;
            }
            try {
                Loaded fresh = load(now);
                current.set(fresh);
                failedStamps = null;
                log.info("{}: reloaded TLS material from {}; new connections get {}", hop, now.files(),
                        CertificateInfo.describe(fresh.certificate()));
                return true;
            } catch (TlsException e) {
                failedStamps = now;
                log.warn("{}: changed TLS files cannot be used yet, keeping the previous certificate: {}", hop,
                        e.getMessage());
                return false;
            }
        }
    }

    private Loaded load(FileStamps stamps) {
        KeyMaterial.Identity identity = KeyMaterial.identity(settings, hop);
        ClientCertificateTrustManager trust = null;
        List<X509Certificate> clientCas = List.of();
        if (settings.effectiveClientAuthentication() != ClientAuthentication.NONE) {
            List<X509Certificate> cas = KeyMaterial.authorities(settings, hop);
            clientCas = cas;
            trust = new ClientCertificateTrustManager(hop,
                    new ChainVerifier(cas, Engines.describeAuthorities(settings, cas)));
        }
        X509Certificate leaf = identity.leaf();
        try {
            leaf.checkValidity();
        } catch (java.security.cert.CertificateException e) {
            log.warn("{}: ssl.certificate {} is outside its validity period; clients will reject it: {}", hop,
                    KeyMaterial.where(settings.certificate()), CertificateInfo.describe(leaf));
        }
        byte[] trustHash = TicketKeys.trustHash(settings.effectiveClientAuthentication(), clientCas);
        SslContext context = Engines.server(settings, hop, provider, identity, trust);
        applyTicketKeys(context, trustHash);
        return new Loaded(context, leaf, stamps, trustHash);
    }

    private void applyTicketKeys(SslContext context, byte[] trustHash) {
        if (ticketFile != null && context.sessionContext() instanceof OpenSslSessionContext sessions) {
            sessions.setTicketKeys(TicketKeys.derive(ticketSecrets, trustHash));
        }
    }

    /**
     * Takes in the ticket-key file's secrets when another process rotated or rewrote it, and rotates it when the
     * newest secret is due; a damaged file is logged and the keys in use stay.
     */
    private void refreshTicketKeys() {
        if (ticketFile == null) {
            return;
        }
        FileStamps now = ticketStamps.now();
        if (now.equals(ticketStamps)
                && (!ticketFile.rotationDue(ticketSecrets) || System.nanoTime() - ticketRetryAtNanos < 0)) {
            return;
        }
        synchronized (reloadLock) {
            try {
                ticketSecrets = ticketFile.loadOrCreate();
                ticketStamps = ticketStamps.now();
                Loaded loaded = current.get();
                applyTicketKeys(loaded.context(), loaded.trustHash());
            } catch (TlsException e) {
                ticketStamps = now;
                ticketRetryAtNanos = System.nanoTime() + TICKET_RETRY.toNanos();
                log.warn("{}: keeping the session-ticket keys in use (trying again in {}): {}", hop, TICKET_RETRY,
                        e.getMessage());
            }
        }
    }

    /**
     * Explains a failure on an accepted connection (pass what {@code exceptionCaught} got), adding what the
     * settings tell: with client_authentication required, clients without a certificate are refused.
     */
    public TlsException explain(Throwable failure, String peer) {
        TlsException e = TlsDiagnostics.explainServer(failure, hop, peer);
        if (e.problem() == TlsProblem.OTHER
                && settings.effectiveClientAuthentication() == ClientAuthentication.REQUIRED) {
            return new TlsException(TlsProblem.OTHER, e.getMessage() + " (client_authentication is required here: "
                    + "a client without a certificate issued by ssl.certificate_authorities is refused)", failure);
        }
        return e;
    }


    /** The certificate new connections are offered now. */
    public X509Certificate certificate() {
        return current.get().certificate();
    }

    public SslProvider provider() {
        return provider;
    }

    public TlsSettings settings() {
        return settings;
    }

    public String hop() {
        return hop;
    }

    /** Stops handing out handlers; open connections are not touched. */
    @Override
    public void close() {
        closed = true;
    }
}
