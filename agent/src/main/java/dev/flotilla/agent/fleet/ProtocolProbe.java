package dev.flotilla.agent.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * After a failed request, finds out which protocol the peer really speaks, so an http:// vs https:// mix-up
 * is reported as such (and not as a vague TLS or parse error). Only used to word an error; never to connect.
 */
final class ProtocolProbe {
    private static final int TIMEOUT_MS = 3000;

    private ProtocolProbe() {
    }

    /**
     * True when {@code host:port} answers a plain-HTTP request with an HTTP status line. A TLS port may do that
     * too (to say "use https://"), so callers also check {@link #speaksTls}.
     */
    static boolean speaksPlainHttp(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("HEAD /api/status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(5);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/");
        } catch (IOException e) {
            return false;
        }
    }

    /** True when {@code host:port} completes a TLS handshake (any certificate: this is only a probe). */
    static boolean speaksTls(String host, int port) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new AcceptAnything()}, null);
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
                raw.setSoTimeout(TIMEOUT_MS);
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true)) {
                    s.startHandshake();
                    return true;
                }
            }
        } catch (javax.net.ssl.SSLHandshakeException e) {
            // the peer answered in TLS and then failed the handshake (e.g. it wants a client certificate): TLS
            return true;
        } catch (IOException | java.security.GeneralSecurityException e) {
            // no TLS answer: plain text (SSLException for an unrecognized record), a reset, or a timeout
            return false;
        }
    }

    /** Accepts any certificate; used only by the probe above, whose connection carries no data. */
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
