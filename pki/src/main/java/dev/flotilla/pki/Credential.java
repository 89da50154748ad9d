package dev.flotilla.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its private key and chain.
 *
 * @param certificate the end certificate
 * @param key its private key
 * @param chain the chain, leaf first (always starts with {@code certificate})
 */
public record Credential(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

    public Credential {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        List<X509Certificate> c = new ArrayList<>(chain == null ? List.of() : chain);
        if (c.isEmpty() || !c.get(0).equals(certificate)) {
            c.add(0, certificate);
        }
        chain = List.copyOf(c);
    }

    /** A credential whose chain is just the certificate. */
    public static Credential of(X509Certificate certificate, PrivateKey key) {
        return new Credential(certificate, key, List.of(certificate));
    }

    /** The last certificate of the chain: the issuing CA when the chain holds it, else the certificate itself. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    @Override
    public String toString() {
        return "Credential[" + CertificateInfo.describe(certificate) + ", chain=" + chain.size() + "]";
    }
}
