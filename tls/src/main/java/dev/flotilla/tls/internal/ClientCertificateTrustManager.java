package dev.flotilla.tls.internal;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.tls.TlsProblem;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** The server side's judge of client certificates against {@code ssl.certificate_authorities}. */
public final class ClientCertificateTrustManager extends X509ExtendedTrustManager {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final String hop;
    private final ChainVerifier verifier;

    public ClientCertificateTrustManager(String hop, ChainVerifier verifier) {
        this.hop = hop;
        this.verifier = verifier;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, engine == null || engine.getPeerHost() == null ? "?"
                : engine.getPeerHost() + ":" + engine.getPeerPort());
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
        String who = hop + ": the client at " + peer;
        try {
            verifier.verify(List.of(chain), List.of(), who);
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
