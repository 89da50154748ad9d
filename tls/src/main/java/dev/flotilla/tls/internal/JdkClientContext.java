package dev.flotilla.tls.internal;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK client context of a hop: the JDK's own TLS with Flotilla's key and trust managers, whose engines note
 * when a server answers in plain text (see {@link FirstBytesEngine}), so clients that never see their engines
 * ({@code java.net.http.HttpClient}) still get "this port serves plain HTTP" instead of an engine's wording.
 */
public final class JdkClientContext {

    private JdkClientContext() {
    }

    public static SSLContext create(KeyManager keys, TrustManager trust, HandshakeLog log)
            throws NoSuchAlgorithmException, KeyManagementException {
        SSLContext jdk = SSLContext.getInstance("TLS");
        jdk.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
        return new SSLContext(new Spi(jdk, log), jdk.getProvider(), jdk.getProtocol()) {
        };
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext jdk;
        private final HandshakeLog log;

        Spi(SSLContext jdk, HandshakeLog log) {
            this.jdk = jdk;
            this.log = log;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("this context is initialized by ClientTls");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return jdk.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return jdk.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new FirstBytesEngine(jdk.createSSLEngine(), log);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new FirstBytesEngine(jdk.createSSLEngine(host, port), log);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return jdk.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return jdk.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return jdk.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return jdk.getSupportedSSLParameters();
        }
    }
}
