package dev.flotilla.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Replace tokens are chosen by agents (so they may be weak): stored as a slow salted hash
 * ({@code pbkdf2-sha256$iterations$salt$hash}) and compared in constant time.
 */
public final class ReplaceTokens {
    private static final int ITERATIONS = 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReplaceTokens() {
    }

    public static String hash(String token) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(token, salt, ITERATIONS));
    }

    public static boolean matches(String stored, String token) {
        if (stored == null || token == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(token, salt, Integer.parseInt(parts[1])));
    }

    private static byte[] derive(String token, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(token.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
