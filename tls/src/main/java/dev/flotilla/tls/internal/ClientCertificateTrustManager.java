package dev.flotilla.tls.internal;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.tls.TlsProblem;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server side's judge of client certificates against {@code ssl.certificate_authorities}: the chain must lead
 * to one of the CAs, every certificate be within its dates, and the leaf allow TLS clients (extended key usage
 * clientAuth when it has the extension). Chains accepted before are recognised by their bytes
 * ({@link VerifiedChains}) and not validated again while their dates hold.
 */
public final class ClientCertificateTrustManager extends X509ExtendedTrustManager {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final String hop;
    private final ChainVerifier verifier;
    private final VerifiedChains accepted;

    public ClientCertificateTrustManager(String hop, ChainVerifier verifier) {
        this(hop, verifier, VerifiedChains.fromSystemProperty());
    }

    public ClientCertificateTrustManager(String hop, ChainVerifier verifier, VerifiedChains accepted) {
        this.hop = hop;
        this.verifier = verifier;
        this.accepted = accepted;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            verify(chain, engine == null || engine.getPeerHost() == null ? "?"
                    : engine.getPeerHost() + ":" + engine.getPeerPort());
        } catch (PeerCertificateException e) {
            throw RejectionAlerts.forEngine(e, engine);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, socket == null ? "?" : String.valueOf(socket.getRemoteSocketAddress()));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, "?");
    }

    private void verify(X509Certificate[] chain, String peer) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new PeerCertificateException(TlsProblem.CLIENT_CERTIFICATE_MISSING, hop
                    + ": the client sent no certificate");
        }
        if (accepted.accepted(chain)) {
            return;
        }
        String who = hop + ": the client at " + peer;
        List<X509Certificate> path;
        try {
            path = verifier.verify(List.of(chain), List.of(), who);
        } catch (PeerCertificateException e) {
            if (e.problem() == TlsProblem.UNKNOWN_CA) {
                throw new PeerCertificateException(TlsProblem.UNKNOWN_CA, e.getMessage() + ". Issue the client "
                        + "certificate from one of these CAs, or add its CA to the server's "
                        + "ssl.certificate_authorities", e);
            }
            throw e;
        }
        if (ChainVerifier.lacksUsage(chain[0], CLIENT_AUTH)) {
            throw new PeerCertificateException(TlsProblem.WRONG_USAGE, who + " presented a certificate whose "
                    + "extended key usage does not allow TLS clients (clientAuth): " + CertificateInfo.describe(chain[0])
                    + "; issue a client certificate for it");
        }
        accepted.remember(chain, path);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException(hop + ": this trust manager judges clients, not servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException(hop + ": this trust manager judges clients, not servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException(hop + ": this trust manager judges clients, not servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.anchors().toArray(X509Certificate[]::new);
    }
}
