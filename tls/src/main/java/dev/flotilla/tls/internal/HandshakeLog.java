package dev.flotilla.tls.internal;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.security.auth.x500.X500Principal;

/**
 * What one client learned during each handshake (did the server ask for a client certificate, which CAs it
 * accepts, did we send one, did we accept the server), keyed by engine, so a failure can be explained by facts
 * instead of by the engine's error text. Entries vanish with their engines.
 */
public final class HandshakeLog {

    /** The facts of one handshake; fields are written by the engine's thread and read after a failure. */
    public static final class Facts {
        private volatile boolean clientCertificateRequested;
        private volatile List<X500Principal> acceptedIssuers = List.of();
        private volatile boolean clientCertificateSent;
        private volatile List<X509Certificate> serverChain;

        public boolean clientCertificateRequested() {
            return clientCertificateRequested;
        }

        public List<X500Principal> acceptedIssuers() {
            return acceptedIssuers;
        }

        public boolean clientCertificateSent() {
            return clientCertificateSent;
        }

        /** The server chain our trust manager accepted; null when it did not (yet). */
        public List<X509Certificate> serverChain() {
            return serverChain;
        }

        void certificateRequested(List<X500Principal> issuers, boolean sent) {
            acceptedIssuers = List.copyOf(issuers);
            clientCertificateSent = sent;
            clientCertificateRequested = true;
        }

        void serverAccepted(List<X509Certificate> chain) {
            serverChain = List.copyOf(chain);
        }
    }

    private final Map<SSLEngine, Facts> byEngine = Collections.synchronizedMap(new WeakHashMap<>());

    /** The facts for an engine (created empty on first use); null engine gives a throwaway record. */
    public Facts facts(SSLEngine engine) {
        return engine == null ? new Facts() : byEngine.computeIfAbsent(engine, e -> new Facts());
    }

    /** The facts for an engine, or null when nothing was recorded for it. */
    public Facts find(SSLEngine engine) {
        return engine == null ? null : byEngine.get(engine);
    }
}
