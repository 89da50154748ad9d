package dev.flotilla.server.management;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts output secrets (api_key, password) before they are stored: AES-256-GCM with a random 96-bit nonce,
 * key in {@code secrets.key} (mode 600) in the data directory. Stored form: {@code v1:<base64(nonce|ciphertext)>}.
 */
public final class SecretBox {
    static final String FILE = "secrets.key";
    private static final String PREFIX = "v1:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    public static SecretBox loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        String text = KeyFiles.readOrCreate(file, () -> {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            return Base64.getEncoder().encodeToString(b);
        }).trim();
        byte[] k;
        try {
            k = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            k = new byte[0];
        }
        if (k.length != 32) {
            throw new IllegalStateException(file + " does not hold a 256-bit key; restore it from a backup (the"
                    + " stored output secrets cannot be read without it)");
        }
        return new SecretBox(k);
    }

    static SecretBox of(byte[] key) {
        return new SecretBox(key.clone());
    }

    String seal(String secret) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct)
                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt an output secret: " + e.getMessage(), e);
        }
    }

    public String open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("a stored output secret is not in the expected encrypted form");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored output secret cannot be decrypted with " + FILE
                    + " (was the key file replaced?); set the output's credentials again", e);
        }
    }
}
