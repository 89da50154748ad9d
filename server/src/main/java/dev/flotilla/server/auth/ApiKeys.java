package dev.flotilla.server.auth;

import dev.flotilla.server.store.ApiKeyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Makes API keys and checks their secrets. A key is an id and a 128-bit random secret; the store keeps only the
 * SHA-256 of the secret, and secrets are compared in constant time. The token a client sends is
 * {@code base64("id:secret")}.
 */
public final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A freshly made key: the record to store and the token to hand out once. */
    public record Issued(ApiKeyRecord record, String token) {
        @Override
        public String toString() {
            return "Issued[id=" + record.id() + ", token=<redacted>]";
        }
    }

    private ApiKeys() {
    }

    public static Issued issue(String kind, String ownerId, Instant now) {
        String id = randomText(15);
        String secret = randomText(16);
        ApiKeyRecord record = new ApiKeyRecord(id, hash(secret), kind, ownerId, true, now, null);
        return new Issued(record, token(id, secret));
    }

    public static String token(String id, String secret) {
        return Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** True when the secret belongs to the stored key (constant-time comparison of the hashes). */
    public static boolean matches(ApiKeyRecord key, String secret) {
        return matchesHash(key, hash(secret));
    }

    /** True when {@code secretHash} (from {@link #hash}) is the stored one (constant-time comparison). */
    public static boolean matchesHash(ApiKeyRecord key, byte[] secretHash) {
        return MessageDigest.isEqual(key.secretHash(), secretHash);
    }

    static String randomText(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
