package dev.flotilla.tls.internal;

import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.tls.TlsProblem;
import dev.flotilla.tls.VerificationMode;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side's judge of server certificates: verification modes full/strict/certificate/none,
 * {@code ca_trusted_fingerprint} (a CA among the presented certificates becomes trusted), {@code ca_sha256}
 * (SPKI pins against the verified chain) and host/IP checks. Works the same under Netty (BoringSSL or JDK) and
 * plain JDK clients, since the engines only ask it for a verdict. Rejections carry a full diagnosis.
 */
public final class ServerCertificateTrustManager extends X509ExtendedTrustManager {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private final String hop;
    private final VerificationMode mode;
    private final ChainVerifier verifier;
    private final String fingerprint;
    private final Set<String> pins;
    private final HandshakeLog log;

    /** @param log where to note accepted server chains per engine; may be null */
    public ServerCertificateTrustManager(String hop, VerificationMode mode, ChainVerifier verifier,
            String fingerprint, List<String> pins, HandshakeLog log) {
        this.log = log;
        this.hop = hop;
        this.mode = mode;
        this.verifier = verifier;
        this.fingerprint = fingerprint;
        this.pins = Set.copyOf(pins);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        SSLSession s = engine == null ? null : engine.getHandshakeSession();
        String host = s != null && s.getPeerHost() != null ? s.getPeerHost() : engine == null ? null
                : engine.getPeerHost();
        int port = s != null && s.getPeerHost() != null ? s.getPeerPort() : engine == null ? -1 : engine.getPeerPort();
        try {
            verify(chain, host, port);
        } catch (PeerCertificateException e) {
            throw RejectionAlerts.forEngine(e, engine);
        }
        if (log != null && engine != null) {
            log.facts(engine).serverAccepted(List.of(chain));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = null;
        int port = socket == null ? -1 : socket.getPort();
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
            host = ssl.getHandshakeSession().getPeerHost();
        }
        if (host == null && socket != null && socket.getInetAddress() != null) {
            host = socket.getInetAddress().getHostAddress();
        }
        verify(chain, host, port);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, null, -1);
    }

    /** Judges a presented server chain for a connection to {@code host:port} (host null when unknown). */
    public void verify(X509Certificate[] chain, String host, int port) throws CertificateException {
        if (mode == VerificationMode.NONE) {
            return;
        }
        if (chain == null || chain.length == 0) {
            throw new PeerCertificateException(TlsProblem.OTHER, hop + ": the server sent no certificate");
        }
        List<X509Certificate> presented = List.of(chain);
        String who = hop + ": the server at " + (host == null ? "?" : host) + (port > 0 ? ":" + port : "");
        X509Certificate pinned = null;
        X509Certificate pinnedNotCa = null;
        if (fingerprint != null) {
            for (X509Certificate c : presented) {
                if (Fingerprints.sha256Hex(c).equals(fingerprint)) {
                    if (c.getBasicConstraints() >= 0) {
                        pinned = c;
                        break;
                    }
                    pinnedNotCa = c;
                }
            }
        }
        List<X509Certificate> verified;
        try {
            verified = verifier.verify(presented, pinned == null ? List.of() : List.of(pinned), who);
        } catch (PeerCertificateException e) {
            if (e.problem() == TlsProblem.UNKNOWN_CA && fingerprint != null && pinned == null) {
                throw fingerprintFailure(presented, pinnedNotCa, who, e);
            }
            throw e;
        }
        X509Certificate leaf = presented.get(0);
        if (ChainVerifier.lacksUsage(leaf, SERVER_AUTH)) {
            throw new PeerCertificateException(TlsProblem.WRONG_USAGE, who + " presented a certificate whose "
                    + "extended key usage does not allow TLS servers (serverAuth): " + CertificateInfo.describe(leaf)
                    + "; issue a server certificate (flotilla certutil cert) for it");
        }
        if (mode == VerificationMode.STRICT && !HostnameMatcher.hasSans(leaf)) {
            throw new PeerCertificateException(TlsProblem.WRONG_USAGE, who + " presented a certificate without "
                    + "subject alternative names, which verification_mode: strict rejects: "
                    + CertificateInfo.describe(leaf) + "; regenerate it with --dns/--ip or use verification_mode: full");
        }
        if (mode.checksHostname()) {
            if (host == null) {
                throw new PeerCertificateException(TlsProblem.HOSTNAME_MISMATCH, who + ": the TLS engine was not "
                        + "told which host it connects to, so verification_mode: " + mode.settingValue()
                        + " cannot check the certificate (a Flotilla bug: create the handler with host and port)");
            }
            String mismatch = HostnameMatcher.mismatch(leaf, host, mode == VerificationMode.STRICT);
            if (mismatch != null) {
                throw new PeerCertificateException(TlsProblem.HOSTNAME_MISMATCH, hop + ": " + mismatch
                        + " [presented: " + CertificateInfo.describe(leaf) + "]");
            }
        }
        if (!pins.isEmpty() && verified.stream().noneMatch(c -> pins.contains(Fingerprints.spkiSha256Base64(c)))) {
            throw new PeerCertificateException(TlsProblem.PIN_MISMATCH, who + ": no certificate of the verified "
                    + "chain has a public key pinned by ssl.ca_sha256 " + pins + "; the chain's pins are "
                    + verified.stream().map(c -> c.getSubjectX500Principal().getName() + " -> "
                    + Fingerprints.spkiSha256Base64(c)).collect(Collectors.joining(", "))
                    + ". Pin the CA's key (ca_sha256) or fix the server's certificate");
        }
    }

    private PeerCertificateException fingerprintFailure(List<X509Certificate> presented, X509Certificate notCa,
            String who, PeerCertificateException cause) {
        if (notCa != null) {
            return new PeerCertificateException(TlsProblem.FINGERPRINT_NOT_A_CA, who + ": ssl.ca_trusted_fingerprint "
                    + fingerprint + " matches a presented certificate that is not a CA: "
                    + CertificateInfo.describe(notCa) + "; pin the fingerprint of the CA that issued it "
                    + "(flotilla certutil fingerprint ca.crt)", cause);
        }
        X509Certificate last = presented.get(presented.size() - 1);
        boolean caSent = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
        String why = caSent
                ? " The server did send a self-signed CA (" + CertificateInfo.describe(last) + "), but with another "
                + "fingerprint: pin that CA's SHA-256 (flotilla certutil fingerprint ca.crt) if you trust it."
                : " The server does not send its CA certificate: the last certificate it presented was issued by '"
                + last.getIssuerX500Principal().getName() + "', which it did not send. Configure the server's "
                + "ssl.certificate with the full chain (its certificate, then the CA), or give the CA file in "
                + "ssl.certificate_authorities instead of the fingerprint.";
        return new PeerCertificateException(TlsProblem.FINGERPRINT_NOT_PRESENTED, who
                + ": ssl.ca_trusted_fingerprint " + fingerprint + " matches none of the " + presented.size()
                + " certificate(s) it presented (" + KeyMaterial.describe(presented) + ")." + why, cause);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException(hop + ": this trust manager judges servers, not clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException(hop + ": this trust manager judges servers, not clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException(hop + ": this trust manager judges servers, not clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return verifier.anchors().toArray(X509Certificate[]::new);
    }
}
