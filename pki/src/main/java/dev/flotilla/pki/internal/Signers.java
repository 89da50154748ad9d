package dev.flotilla.pki.internal;

import dev.flotilla.pki.PkiException;
import java.security.PrivateKey;
import java.security.interfaces.ECKey;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Picks the signature algorithm that fits a signing key (SHA256withRSA; ECDSA with the curve's hash) and signs. */
public final class Signers {

    private Signers() {
    }

    public static String algorithmFor(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> {
                int bits = key instanceof ECKey ec ? ec.getParams().getOrder().bitLength() : 256;
                yield bits > 384 ? "SHA512withECDSA" : bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
            }
            default -> throw new PkiException("cannot sign with a " + key.getAlgorithm()
                    + " key; use an RSA or EC key");
        };
    }

    public static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(algorithmFor(key)).build(key);
        } catch (OperatorCreationException e) {
            throw new PkiException("cannot sign with the " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }
}
