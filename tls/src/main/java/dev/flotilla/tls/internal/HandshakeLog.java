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
        private volatile boolean peerSpokePlainText;

        /** True when the server's first bytes were not a TLS record (a plain-HTTP port). */
        public boolean peerSpokePlainText() {
            return peerSpokePlainText;
        }

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

    private static final int PEERS_KEPT = 256;

    private final Map<SSLEngine, Facts> byEngine = Collections.synchronizedMap(new WeakHashMap<>());
    /** The latest handshake per "host:port", for clients that never see their engine (java.net.http). */
    private final Map<String, Facts> latestByPeer = Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Facts> eldest) {
                    return size() > PEERS_KEPT;
                }
            });

    /** The facts for an engine (created empty on first use); null engine gives a throwaway record. */
    public Facts facts(SSLEngine engine) {
        if (engine == null) {
            return new Facts();
        }
        return byEngine.computeIfAbsent(engine, e -> {
            Facts f = new Facts();
            if (e.getPeerHost() != null) {
                latestByPeer.put(peer(e.getPeerHost(), e.getPeerPort()), f);
            }
            return f;
        });
    }

    /** Notes that {@code host:port} answered a handshake in plain text; a new record for that peer. */
    void peerSpokePlainText(String host, int port) {
        Facts f = new Facts();
        f.peerSpokePlainText = true;
        latestByPeer.put(peer(host, port), f);
    }

    /**
     * The facts of the latest handshake with {@code host:port}, or null. With several handshakes to the same peer
     * at once this may be another one's; good enough to explain a failure, which is what it is for.
     */
    public Facts latest(String host, int port) {
        return latestByPeer.get(peer(host, port));
    }

    private static String peer(String host, int port) {
        return host + ":" + port;
    }

    /** The facts for an engine, or null when nothing was recorded for it. */
    public Facts find(SSLEngine engine) {
        if (engine instanceof FirstBytesEngine wrapper) {
            return find(wrapper.inner());
        }
        return engine == null ? null : byEngine.get(engine);
    }
}
