package dev.flotilla.server.management;

import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The management API's admin key: 256 random bits made at first start and kept in {@code admin.key} (mode 600)
 * in the data directory, where {@code flotilla fleet} reads it. Requests send
 * {@code Authorization: ApiKey <key>}; the comparison is constant-time; the key is never logged.
 */
final class AdminKey {
    static final String FILE = "admin.key";
    private static final String SCHEME = "ApiKey ";
    private final byte[] digest;

    private AdminKey(String key) {
        this.digest = sha256(key);
    }

    static AdminKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        String key = KeyFiles.readOrCreate(file, () -> {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }).trim();
        if (key.length() < 20) {
            throw new IllegalStateException(file + " holds no usable admin key (too short); delete it and restart"
                    + " the server to make a new one");
        }
        return new AdminKey(key);
    }

    /** Throws 401 unless the request carries the admin key. */
    void check(ApiRequest request) {
        List<String> headers = request.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        if (headers.isEmpty()) {
            throw new ApiErrors.MissingApiKey("no Authorization header; send 'Authorization: ApiKey <admin key>'"
                    + " (the key is in " + FILE + " in the server's data directory)");
        }
        String h = headers.size() == 1 ? headers.get(0) : "";
        if (!h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || !MessageDigest.isEqual(digest, sha256(h.substring(SCHEME.length()).trim()))) {
            throw new ApiErrors.ApiKeyNotEnabled("the admin key is not valid; use the key in " + FILE
                    + " in the server's data directory");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
