package dev.flotilla.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The JDK's default trust store, used when a client has no {@code certificate_authorities}. */
public final class SystemTrust {

    private static volatile List<X509Certificate> anchors;

    private SystemTrust() {
    }

    public static List<X509Certificate> anchors() {
        List<X509Certificate> a = anchors;
        if (a == null) {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
                a = Arrays.stream(tmf.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                        .map(X509TrustManager.class::cast)
                        .flatMap((TrustManager tm) -> Arrays.stream(((X509TrustManager) tm).getAcceptedIssuers()))
                        .toList();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load the JDK's default trust store: " + e, e);
            }
            anchors = a;
        }
        return a;
    }
}
