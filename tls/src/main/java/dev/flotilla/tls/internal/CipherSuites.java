package dev.flotilla.tls.internal;

import dev.flotilla.tls.TlsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ssl.cipher_suites}: Elastic's names ({@code ECDHE-RSA-AES-128-GCM-SHA256}, {@code TLS-AES-128-GCM-SHA256})
 * or IANA names ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}), turned into IANA names, which both the JDK and
 * Netty's BoringSSL engine understand.
 */
public final class CipherSuites {

    /** The suites Elastic offers (Go's list, without the RC4/3DES ones). */
    private static final Set<String> KNOWN = Set.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private CipherSuites() {
    }

    /** The IANA name of one suite, or a TlsException naming the setting. */
    public static String toIana(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        String iana;
        if (n.contains("_")) {
            iana = n;
        } else if (n.startsWith("TLS-")) {
            iana = n.replace('-', '_');
        } else {
            int cut = n.startsWith("ECDHE-") ? n.indexOf('-', "ECDHE-".length()) : n.indexOf('-');
            iana = cut < 0 ? n : "TLS_" + n.substring(0, cut).replace('-', '_') + "_WITH_"
                    + n.substring(cut + 1).replace('-', '_');
            if (iana.endsWith("CHACHA20_POLY1305")) {
                iana += "_SHA256";
            }
        }
        if (!KNOWN.contains(iana)) {
            throw new TlsException("ssl.cipher_suites: '" + name + "' is not a cipher suite Flotilla knows "
                    + "(expected names like ECDHE-RSA-AES-128-GCM-SHA256, ECDHE-ECDSA-AES-256-GCM-SHA384, "
                    + "TLS-AES-128-GCM-SHA256, or the IANA form TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
        }
        return iana;
    }

    public static List<String> toIana(List<String> names) {
        return names.stream().map(CipherSuites::toIana).distinct().toList();
    }

    private static final List<String> TLS13_DEFAULTS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * The suites to enable: the configured ones, plus the standard TLS 1.3 suites when TLS 1.3 is on and none of
     * them was named (as with Elastic, whose cipher_suites only narrow TLS 1.2 and below). Empty means the
     * engine's defaults.
     */
    public static List<String> enabled(List<String> configured, List<String> protocols) {
        if (configured.isEmpty() || !protocols.contains("TLSv1.3")
                || configured.stream().anyMatch(CipherSuites::isTls13)) {
            return configured;
        }
        List<String> all = new ArrayList<>(configured);
        all.addAll(TLS13_DEFAULTS);
        return List.copyOf(all);
    }

    /** True for the TLS 1.3 suites, which are not configurable per connection on every engine. */
    public static boolean isTls13(String iana) {
        return !iana.contains("_WITH_");
    }
}
