package dev.flotilla.tls;

import dev.flotilla.tls.internal.ChainVerifier;
import dev.flotilla.tls.internal.CipherSuites;
import dev.flotilla.tls.internal.Engines;
import dev.flotilla.tls.internal.HandshakeLog;
import dev.flotilla.tls.internal.IdentityKeyManager;
import dev.flotilla.tls.internal.JdkClientContext;
import dev.flotilla.tls.internal.KeyMaterial;
import dev.flotilla.tls.internal.Protocols;
import dev.flotilla.tls.internal.ServerCertificateTrustManager;
import dev.flotilla.tls.internal.SystemTrust;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one outgoing hop (agent -> Fleet Server, Fleet Server -> Elasticsearch, agent -> output): the
 * same verification for Netty (BoringSSL, or JDK when it cannot load) and for JDK clients such as
 * {@code java.net.http.HttpClient}, since {@link #trustManager()} does the verification modes, fingerprint and SPKI
 * pinning and host checks itself. Engines never check host names on their own.
 */
public final class ClientTls {

    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);

    private final TlsSettings settings;
    private final String hop;
    private final SslProvider provider;
    private final HandshakeLog handshakes = new HandshakeLog();
    private final ServerCertificateTrustManager trustManager;
    private final IdentityKeyManager keyManager;
    private final SslContext netty;
    private volatile SSLContext jdk;

    private ClientTls(TlsSettings settings, String hop, SslProvider provider) {
        this.settings = settings;
        this.hop = hop;
        this.provider = provider;
        List<X509Certificate> cas = KeyMaterial.authorities(settings, hop);
        ChainVerifier verifier = cas.isEmpty()
                ? new ChainVerifier(SystemTrust.anchors(), "the system trust store (ssl.certificate_authorities is "
                + "not set)")
                : new ChainVerifier(cas, Engines.describeAuthorities(settings, cas));
        this.trustManager = new ServerCertificateTrustManager(hop, settings.verificationMode(), verifier,
                settings.caTrustedFingerprint(), settings.caSha256(), handshakes);
        this.keyManager = new IdentityKeyManager(KeyMaterial.identity(settings, hop), handshakes);
        this.netty = Engines.client(settings, hop, provider, keyManager, trustManager);
    }

    /** A client for a hop, on BoringSSL or (when it cannot load) the JDK engine. */
    public static ClientTls create(TlsSettings settings, String hop) {
        return create(settings, hop, Engines.preferred());
    }

    /** A client on the given engine (tests run both). */
    public static ClientTls create(TlsSettings settings, String hop, SslProvider provider) {
        if (!settings.enabled()) {
            throw new TlsException(hop + ": ssl.enabled is false in " + settings.source()
                    + "; connect with http:// instead, or set ssl.enabled: true");
        }
        if (settings.verificationMode() == VerificationMode.NONE) {
            log.warn("{}: verification_mode: none - the server's certificate is not checked; anyone on the path "
                    + "can read and change this traffic{}", hop, settings.caTrustedFingerprint() != null
                    || !settings.caSha256().isEmpty() ? " (ca_trusted_fingerprint and ca_sha256 are ignored)" : "");
        }
        return new ClientTls(settings, hop, provider);
    }

    /** The Netty context (for pipelines that make engines themselves; prefer {@link #newHandler}). */
    public SslContext netty() {
        return netty;
    }

    /** A handler for a connection to {@code host:port}; host is what the certificate is checked against. */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = netty.newHandler(alloc, host, port);
        handshakes.facts(handler.engine()); // so a failure before any certificate is known as such
        return handler;
    }

    /**
     * A JDK context with the same key and trust managers (e.g. for {@code HttpClient.newBuilder().sslContext(..)
     * .sslParameters(tls.jdkParameters())}).
     */
    public SSLContext jdk() {
        SSLContext c = jdk;
        if (c == null) {
            try {
                c = JdkClientContext.create(keyManager, trustManager, handshakes);
            } catch (GeneralSecurityException e) {
                throw new TlsException(hop + ": cannot set up the JDK TLS client: " + e, e);
            }
            jdk = c;
        }
        return c;
    }

    /** Protocols and cipher suites from the settings, for JDK clients; host names are left to the trust manager. */
    public SSLParameters jdkParameters() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(Protocols.jdkNames(settings.supportedProtocols()));
        if (!settings.cipherSuites().isEmpty()) {
            p.setCipherSuites(CipherSuites.enabled(settings.cipherSuites(), settings.supportedProtocols())
                    .toArray(String[]::new));
        }
        return p;
    }

    /** Verification modes, fingerprint, SPKI pins and host checks, usable by any JDK or Netty engine. */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /**
     * Explains a failure of a connection made with {@link #newHandler}, using what this client saw during the
     * handshake (whether the server asked for a client certificate, which CAs it accepts).
     */
    public TlsException explain(Throwable failure, SslHandler handler, String host, int port) {
        return explain(failure, handler == null ? null : handler.engine(), host, port);
    }

    /**
     * See {@link #explain(Throwable, SslHandler, String, int)}; for JDK engines. With a null engine (e.g. with
     * {@code java.net.http.HttpClient}, which hides its engines) the latest handshake with {@code host:port} is used.
     */
    public TlsException explain(Throwable failure, SSLEngine engine, String host, int port) {
        HandshakeLog.Facts facts = handshakes.find(engine);
        if (facts == null) {
            facts = handshakes.latest(host, port);
        }
        return TlsDiagnostics.explain(failure, hop, host, port, settings, facts);
    }

    /** {@link #explain(Throwable, SSLEngine, String, int)} for clients that never see their engine. */
    public TlsException explain(Throwable failure, String host, int port) {
        return explain(failure, (SSLEngine) null, host, port);
    }

    public TlsSettings settings() {
        return settings;
    }

    public String hop() {
        return hop;
    }

    public SslProvider provider() {
        return provider;
    }

    /** The CAs this client trusts (configured ones, or the system's). */
    public List<X509Certificate> trustedAuthorities() {
        return new ArrayList<>(List.of(trustManager.getAcceptedIssuers()));
    }
}
