package dev.flotilla.tls.internal;

import dev.flotilla.pki.Fingerprints;
import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds Netty contexts on BoringSSL (netty-tcnative), or the JDK engine when BoringSSL cannot load. */
public final class Engines {

    private static final Logger log = LoggerFactory.getLogger(Engines.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean CURVES_LOGGED = new AtomicBoolean();
    /**
     * How long a server hands out a session for resumption (TLS 1.3 ticket lifetime / TLS 1.2 ticket). A session
     * resumed in TLS 1.3 gets a new ticket, but BoringSSL never extends it past 2 days after the full handshake
     * that checked the client certificate.
     */
    public static final java.time.Duration SESSION_LIFETIME = java.time.Duration.ofHours(2);

    private Engines() {
    }

    /** BoringSSL when it loads on this machine, else the JDK (logged once, with the reason). */
    public static SslProvider preferred() {
        if (OpenSsl.isAvailable()) {
            return SslProvider.OPENSSL;
        }
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            log.warn("BoringSSL (netty-tcnative) cannot load here ({}); using the JDK's TLS engine",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return SslProvider.JDK;
    }

    /** A server context for the given identity; client certificates judged by {@code trust} when not null. */
    public static SslContext server(TlsSettings s, String hop, SslProvider provider, KeyMaterial.Identity identity,
            X509ExtendedTrustManager trust) {
        KeyManagerFactory keys = new KeyManagerFactoryWrapper(new ServerKeyManager(identity));
        if (provider != SslProvider.JDK) {
            // BoringSSL takes the key and chain in its own form; Netty converts them once and keeps them (without
            // this wrapper it would convert them again for every full handshake)
            keys = new OpenSslCachingX509KeyManagerFactory(keys);
        }
        SslContextBuilder b = SslContextBuilder.forServer(keys)
                .clientAuth(clientAuth(s.effectiveClientAuthentication()));
        if (trust != null) {
            b.trustManager(trust);
        }
        b.sessionTimeout(SESSION_LIFETIME.toSeconds());
        SslContext context = build(common(b, s, provider), hop, "server");
        if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
            // Stateless resumption: the session travels in a ticket the client keeps, so the server holds nothing
            // per client (Netty's default is a server-side cache of sessions in memory). No keys given: BoringSSL
            // makes its own ticket key for this context, in memory only, rotates it every 2 days and keeps the
            // previous one for decryption; a new context (a reload) has a new key, so earlier tickets end.
            sessions.setTicketKeys();
            sessions.setSessionCacheEnabled(false);
        }
        return context;
    }

    /** A client context; never lets the engine check host names itself (the trust manager does, per mode). */
    public static SslContext client(TlsSettings s, String hop, SslProvider provider, X509ExtendedKeyManager keys,
            X509ExtendedTrustManager trust) {
        SslContextBuilder b = SslContextBuilder.forClient().keyManager(keys).trustManager(trust)
                .endpointIdentificationAlgorithm(null);
        return build(common(b, s, provider), hop, "client");
    }

    private static SslContextBuilder common(SslContextBuilder b, TlsSettings s, SslProvider provider) {
        b.sslProvider(provider).protocols(Protocols.jdkNames(s.supportedProtocols()));
        if (!s.cipherSuites().isEmpty()) {
            b.ciphers(CipherSuites.enabled(s.cipherSuites(), s.supportedProtocols()));
        }
        if (!s.curveTypes().isEmpty()) {
            if (provider == SslProvider.JDK) {
                if (CURVES_LOGGED.compareAndSet(false, true)) {
                    log.warn("ssl.curve_types {} is not applied by the JDK TLS engine (BoringSSL is not available); "
                            + "the JDK's default groups are used", s.curveTypes());
                }
            } else {
                b.option(OpenSslContextOption.GROUPS, Curves.boringSslGroups(s.curveTypes()));
            }
        }
        return b;
    }

    private static SslContext build(SslContextBuilder b, String hop, String side) {
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsException(hop + ": cannot set up the TLS " + side + " (" + e.getMessage()
                    + "); check ssl.supported_protocols, ssl.cipher_suites and ssl.curve_types", e);
        }
    }

    private static ClientAuth clientAuth(ClientAuthentication c) {
        return switch (c) {
            case NONE -> ClientAuth.NONE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case REQUIRED -> ClientAuth.REQUIRE;
        };
    }

    /** "ssl.certificate_authorities (a.crt, (inline PEM))" with the CA subjects, for messages. */
    public static String describeAuthorities(TlsSettings s, List<X509Certificate> cas) {
        return "ssl.certificate_authorities [" + String.join(", ", s.certificateAuthorities().stream()
                .map(KeyMaterial::where).toList()) + "] holding " + cas.stream()
                .map(c -> "'" + c.getSubjectX500Principal().getName() + "' (sha256="
                        + Fingerprints.sha256Hex(c) + ")").toList();
    }
}
