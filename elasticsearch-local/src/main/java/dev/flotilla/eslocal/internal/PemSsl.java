package dev.flotilla.eslocal.internal;

import dev.flotilla.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A JDK SSLContext from PEM files: a CA to trust and, optionally, a client certificate and key. */
public final class PemSsl {

    private PemSsl() {
    }

    public static SSLContext context(Path ca, Path clientCertificate, Path clientKey) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate(ca));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientCertificate != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] pass = "unused".toCharArray();
                keys.setKeyEntry("client", Pem.readPrivateKey(clientKey, null), pass, new Certificate[] {certificate(clientCertificate)});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, pass);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build a TLS context from " + ca + ": " + e.getMessage(), e);
        }
    }

    private static Certificate certificate(Path pem) {
        return Pem.readCertificates(pem).get(0);
    }
}
