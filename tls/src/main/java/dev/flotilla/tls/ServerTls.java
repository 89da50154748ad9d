package dev.flotilla.tls;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.tls.internal.ChainVerifier;
import dev.flotilla.tls.internal.ClientCertificateTrustManager;
import dev.flotilla.tls.internal.Engines;
import dev.flotilla.tls.internal.FileStamps;
import dev.flotilla.tls.internal.KeyMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
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
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    /** New connections look at the files' stamps at most this often. */
    public static final java.time.Duration CHECK_INTERVAL = java.time.Duration.ofSeconds(1);

    private record Loaded(SslContext context, X509Certificate certificate, FileStamps stamps) {
    }

    private final TlsSettings settings;
    private final String hop;
    private final SslProvider provider;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final Object reloadLock = new Object();
    private volatile FileStamps failedStamps;
    private final AtomicLong nextCheck = new AtomicLong(System.nanoTime() + CHECK_INTERVAL.toNanos());
    private volatile boolean closed;

    private ServerTls(TlsSettings settings, String hop, SslProvider provider) {
        this.settings = settings;
        this.hop = hop;
        this.provider = provider;
        current.set(load(FileStamps.of(KeyMaterial.files(settings))));
    }

    /** A server context on BoringSSL, or on the JDK engine when BoringSSL cannot load (logged). */
    public static ServerTls create(TlsSettings settings, String hop) {
        return create(settings, hop, Engines.preferred());
    }

    /** A server context on the given engine (tests run both). */
    public static ServerTls create(TlsSettings settings, String hop, SslProvider provider) {
        if (!settings.enabled()) {
            throw new TlsException(hop + ": ssl.enabled is false in " + settings.source()
                    + "; serve plain HTTP instead or set ssl.enabled: true");
        }
        if (!settings.hasCertificate()) {
            throw new TlsException(hop + ": a TLS server needs ssl.certificate and ssl.key (" + settings.source()
                    + "); create them with 'flotilla certutil cert' or serve plain HTTP");
        }
        ServerTls tls = new ServerTls(settings, hop, provider);
        log.info("{}: TLS on {} with {}, client_authentication {}", hop, provider,
                CertificateInfo.describe(tls.certificate()), settings.effectiveClientAuthentication().settingValue());
        return tls;
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
        if (settings.effectiveClientAuthentication() != ClientAuthentication.NONE) {
            List<X509Certificate> cas = KeyMaterial.authorities(settings, hop);
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
        return new Loaded(Engines.server(settings, hop, provider, identity, trust), leaf, stamps);
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
