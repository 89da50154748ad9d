package dev.flotilla.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/** Checks that a private key belongs to a certificate, by signing with the key and verifying with the certificate. */
public final class KeyMatch {

    private static final byte[] PROBE = "flotilla key match probe".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    /** True when {@code key} is the private half of the certificate's public key. */
    public static boolean matches(X509Certificate certificate, PrivateKey key) {
        PublicKey pub = certificate.getPublicKey();
        if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
            return false;
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(pub);
            verifier.update(PROBE);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Throws when {@code key} does not belong to {@code certificate}.
     *
     * @param source where the pair came from, for the message (e.g. "ca/ca.crt + ca/ca.key")
     */
    public static void check(X509Certificate certificate, PrivateKey key, String source) {
        if (!matches(certificate, key)) {
            throw new PkiException("the private key (" + key.getAlgorithm() + ") in " + source
                    + " does not belong to the certificate (" + CertificateInfo.describe(certificate)
                    + "); give the key that was made together with this certificate");
        }
    }
}
