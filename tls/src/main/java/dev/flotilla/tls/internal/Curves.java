package dev.flotilla.tls.internal;

import dev.flotilla.tls.TlsException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ssl.curve_types}: P-256, P-384, P-521, X25519 (and the secpNNNr1 spellings). */
public final class Curves {

    private static final Map<String, String> CANONICAL = Map.of(
            "p-256", "P-256", "secp256r1", "P-256", "prime256v1", "P-256",
            "p-384", "P-384", "secp384r1", "P-384",
            "p-521", "P-521", "secp521r1", "P-521",
            "x25519", "X25519");

    private Curves() {
    }

    public static List<String> normalize(List<String> curves) {
        return curves.stream().map(Curves::canonical).distinct().toList();
    }

    private static String canonical(String curve) {
        String c = CANONICAL.get(curve == null ? "" : curve.trim().toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new TlsException("ssl.curve_types: '" + curve + "' (expected one of: P-256, P-384, P-521, X25519)");
        }
        return c;
    }

    /** Group names for BoringSSL (SSL_CTX_set1_groups_list accepts P-256, P-384, P-521, X25519 as is). */
    public static String[] boringSslGroups(List<String> curves) {
        return curves.toArray(String[]::new);
    }
}
