package dev.flotilla.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Set;

/**
 * The kind of key pair to make: RSA with a modulus size, or EC on a NIST curve.
 *
 * @param algorithm {@code "RSA"} or {@code "EC"}
 * @param bits RSA modulus bits (2048, 3072, 4096) or EC field size (256, 384, 521)
 */
public record KeySpec(String algorithm, int bits) {

    public static final int DEFAULT_RSA_BITS = 2048;
    private static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);
    private static final Set<Integer> EC_SIZES = Set.of(256, 384, 521);
    private static final SecureRandom RANDOM = new SecureRandom();

    public KeySpec {
        if ("RSA".equals(algorithm)) {
            if (!RSA_SIZES.contains(bits)) {
                throw new PkiException("RSA key size " + bits + " is not supported (expected: 2048, 3072 or 4096)");
            }
        } else if ("EC".equals(algorithm)) {
            if (!EC_SIZES.contains(bits)) {
                throw new PkiException("EC key size " + bits + " is not supported (expected: 256, 384 or 521, "
                        + "i.e. curve P-256, P-384 or P-521)");
            }
        } else {
            throw new PkiException("unknown key algorithm '" + algorithm + "' (expected: rsa or ec)");
        }
    }

    public static KeySpec rsa(int bits) {
        return new KeySpec("RSA", bits);
    }

    /** An EC key on {@code "P-256"}, {@code "P-384"} or {@code "P-521"} (also accepts secpNNNr1, prime256v1, NNN). */
    public static KeySpec ec(String curve) {
        String c = curve == null ? "" : curve.trim().toUpperCase(Locale.ROOT);
        int bits = switch (c) {
            case "P-256", "P256", "SECP256R1", "PRIME256V1", "256" -> 256;
            case "P-384", "P384", "SECP384R1", "384" -> 384;
            case "P-521", "P521", "SECP521R1", "521" -> 521;
            default -> throw new PkiException("unknown EC curve '" + curve + "' (expected: P-256, P-384 or P-521)");
        };
        return new KeySpec("EC", bits);
    }

    /**
     * Reads the command-line pair {@code --keyalg} / {@code --keysize}: {@code alg} is "rsa" or "ec" (null means
     * rsa), {@code size} the RSA bits or EC field size (null means 2048 for RSA, 256 for EC).
     */
    public static KeySpec parse(String alg, Integer size) {
        String a = alg == null ? "rsa" : alg.trim().toLowerCase(Locale.ROOT);
        return switch (a) {
            case "rsa" -> rsa(size == null ? DEFAULT_RSA_BITS : size);
            case "ec", "ecdsa" -> size == null ? ec("P-256") : new KeySpec("EC", size);
            default -> throw new PkiException("unknown key algorithm '" + alg + "' (expected: rsa or ec)");
        };
    }

    public boolean isRsa() {
        return "RSA".equals(algorithm);
    }

    /** The NIST curve name ("P-256") for EC keys, null for RSA. */
    public String curve() {
        return isRsa() ? null : "P-" + bits;
    }

    /** Makes a fresh key pair with the JDK's providers. */
    public KeyPair generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
            if (isRsa()) {
                gen.initialize(bits, RANDOM);
            } else {
                gen.initialize(new ECGenParameterSpec("secp" + bits + "r1"), RANDOM);
            }
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate a " + this + " key pair: " + e.getMessage()
                    + " (check the JDK's security providers)", e);
        }
    }

    @Override
    public String toString() {
        return isRsa() ? "RSA " + bits : "EC " + curve();
    }
}
