package dev.flotilla.tls;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.tls.internal.HandshakeLog;
import dev.flotilla.tls.internal.KeyMaterial;
import dev.flotilla.tls.internal.PeerCertificateException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Turns TLS failures into {@link TlsException}s a person can act on. Classification uses exception types and what
 * the handshake recorded (never the engines' message text): Flotilla's own trust managers throw a full diagnosis;
 * Netty reports non-TLS bytes as {@link NotSslRecordException}; client-certificate problems are recognised from the
 * server's certificate request and whether we answered it (see {@link ClientTls#explain}).
 */
public final class TlsDiagnostics {

    private TlsDiagnostics() {
    }

    /** Explains a client-side failure towards {@code host:port} on {@code hop}. */
    public static TlsException explain(Throwable failure, String hop, String host, int port) {
        return explain(failure, hop, host, port, null, null);
    }

    /** Explains a failure seen by a TLS server ({@code peer} is the client's address, for the message). */
    public static TlsException explainServer(Throwable failure, String hop, String peer) {
        TlsException known = known(failure);
        if (known != null) {
            return known;
        }
        if (find(failure, NotSslRecordException.class) != null) {
            return new TlsException(TlsProblem.PLAIN_HTTP_CLIENT, hop + ": the client at " + peer + " did not speak "
                    + "TLS (plain HTTP to the TLS port?); it must use https://", failure);
        }
        return new TlsException(TlsProblem.OTHER, hop + ": TLS with the client at " + peer + " failed: "
                + engineWords(failure), failure);
    }

    static TlsException explain(Throwable failure, String hop, String host, int port, TlsSettings settings,
            HandshakeLog.Facts facts) {
        String peer = host + ":" + port;
        TlsException known = known(failure);
        if (known != null) {
            return known;
        }
        if (find(failure, NotSslRecordException.class) != null || facts != null && facts.peerSpokePlainText()) {
            return new TlsException(TlsProblem.PLAIN_HTTP_PEER, hop + ": " + peer + " answered without TLS: it "
                    + "serves plain HTTP. Use http://" + peer + " (agent: with --insecure), or enable TLS on that "
                    + "server (ssl.certificate and ssl.key)", failure);
        }
        if (find(failure, SslHandshakeTimeoutException.class) != null) {
            return new TlsException(TlsProblem.OTHER, hop + ": " + peer + " did not complete a TLS handshake in "
                    + "time; check that it is a TLS port and that the server is not overloaded", failure);
        }
        if (facts != null && facts.serverChain() != null && facts.clientCertificateRequested()) {
            return clientCertificateProblem(failure, hop, peer, settings, facts);
        }
        if (facts != null && facts.serverChain() == null) {
            return new TlsException(TlsProblem.NO_COMMON_PARAMETERS, hop + ": the TLS handshake with " + peer
                    + " failed before the server presented a certificate (" + engineWords(failure) + "): client and "
                    + "server share no protocol version or cipher suite"
                    + (settings == null ? "" : " (ours: supported_protocols " + settings.supportedProtocols()
                    + (settings.cipherSuites().isEmpty() ? "" : ", cipher_suites " + settings.cipherSuites()) + ")")
                    + ", or " + peer + " does not speak TLS (then use http://)", failure);
        }
        return new TlsException(TlsProblem.OTHER, hop + ": TLS with " + peer + " failed: " + engineWords(failure)
                + ". If " + peer + " serves plain HTTP use http://; if it needs a client certificate set "
                + "ssl.certificate and ssl.key", failure);
    }

    private static TlsException clientCertificateProblem(Throwable failure, String hop, String peer,
            TlsSettings settings, HandshakeLog.Facts facts) {
        List<X500Principal> accepted = facts.acceptedIssuers();
        String acceptedText = accepted.isEmpty() ? "it did not say which CAs it accepts"
                : "it accepts certificates issued by " + accepted.stream().map(X500Principal::getName).toList();
        if (!facts.clientCertificateSent()) {
            return new TlsException(TlsProblem.CLIENT_CERTIFICATE_MISSING, hop + ": " + peer + " requires a client "
                    + "certificate and none is configured (" + acceptedText + "). Set ssl.certificate and ssl.key"
                    + (settings == null || settings.source().equals("ssl") ? "" : " in " + settings.source())
                    + " to a certificate from one of those CAs",
                    failure);
        }
        List<X509Certificate> ours = settings == null || settings.certificate() == null ? List.of()
                : KeyMaterial.certificates(settings.certificate(), "ssl.certificate", hop);
        String oursText = ours.isEmpty() ? "" : " " + CertificateInfo.describe(ours.get(0)) + " from ssl.certificate "
                + KeyMaterial.where(settings.certificate());
        boolean issuerAccepted = ours.isEmpty() || accepted.isEmpty()
                || accepted.contains(ours.get(0).getIssuerX500Principal());
        String fix = issuerAccepted
                ? " Check that the certificate has not expired, is meant for clients, and that its key matches"
                : " Ours is issued by '" + ours.get(0).getIssuerX500Principal().getName() + "', which is not among "
                + "them: issue the client certificate from one of those CAs, or add its CA to the server's "
                + "ssl.certificate_authorities";
        return new TlsException(TlsProblem.CLIENT_CERTIFICATE_REJECTED, hop + ": " + peer + " rejected our client "
                + "certificate" + oursText + " (" + acceptedText + ")." + fix + " [" + engineWords(failure) + "]",
                failure);
    }

    private static TlsException known(Throwable failure) {
        TlsException tls = find(failure, TlsException.class);
        if (tls != null) {
            return tls;
        }
        PeerCertificateException peer = find(failure, PeerCertificateException.class);
        if (peer != null) {
            return new TlsException(peer.problem(), peer.getMessage(), failure);
        }
        return null;
    }

    /** The first throwable of type {@code type} among the causes and suppressed exceptions. */
    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && seen.size() < 50) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return null;
    }

    /** The engine's own words (innermost message), shown as is, never interpreted. */
    private static String engineWords(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
