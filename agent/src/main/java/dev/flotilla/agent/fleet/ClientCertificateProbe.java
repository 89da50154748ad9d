package dev.flotilla.agent.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * After a TLS failure the JDK HTTP client cannot explain, finds out whether the server asks for a client
 * certificate: a handshake whose key manager records being asked (the server's CertificateRequest) and offers
 * nothing. Only used to word an error; the probe's connection carries no data.
 */
final class ClientCertificateProbe {
    private static final int TIMEOUT_MS = 3000;

    private ClientCertificateProbe() {
    }

    static boolean serverRequestsCertificate(String host, int port) {
        AtomicBoolean asked = new AtomicBoolean();
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new Recorder(asked)}, new TrustManager[] {new AcceptAnything()}, null);
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
                raw.setSoTimeout(TIMEOUT_MS);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true)) {
                    s.startHandshake();
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            // the server may end the handshake for want of a certificate; whether it asked is what we learn
        }
        return asked.get();
    }

    /** Offers no certificate, but notes that one was asked for. */
    private static final class Recorder implements X509KeyManager {
        private final AtomicBoolean asked;

        Recorder(AtomicBoolean asked) {
            this.asked = asked;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            asked.set(true);
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            asked.set(true);
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return null;
        }
    }

    /** Accepts any server certificate; the probe only looks at the server's certificate request. */
    private static final class AcceptAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
