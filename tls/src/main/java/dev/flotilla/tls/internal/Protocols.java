package dev.flotilla.tls.internal;

import dev.flotilla.tls.TlsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ssl.supported_protocols} values (Elastic spelling) and the names the JDK and BoringSSL take. */
public final class Protocols {

    public static final List<String> DEFAULT = List.of("TLSv1.2", "TLSv1.3");

    private static final Map<String, String> JDK_NAMES = Map.of(
            "tlsv1.0", "TLSv1", "tlsv1", "TLSv1", "tlsv1.1", "TLSv1.1", "tlsv1.2", "TLSv1.2", "tlsv1.3", "TLSv1.3");

    private Protocols() {
    }

    /** Normalizes to Elastic's spelling (TLSv1.0 .. TLSv1.3). */
    public static List<String> normalize(List<String> protocols) {
        if (protocols.isEmpty()) {
            throw new TlsException("ssl.supported_protocols: [] (expected at least one of TLSv1.2, TLSv1.3)");
        }
        List<String> out = new ArrayList<>();
        for (String p : protocols) {
            String jdk = JDK_NAMES.get(p == null ? "" : p.trim().toLowerCase(Locale.ROOT));
            if (jdk == null) {
                throw new TlsException("ssl.supported_protocols: '" + p
                        + "' (expected: TLSv1.2, TLSv1.3; TLSv1.0 and TLSv1.1 only when old peers need them)");
            }
            String elastic = jdk.equals("TLSv1") ? "TLSv1.0" : jdk;
            if (!out.contains(elastic)) {
                out.add(elastic);
            }
        }
        return List.copyOf(out);
    }

    /** The names SSLEngine.setEnabledProtocols and Netty take. */
    public static String[] jdkNames(List<String> protocols) {
        return protocols.stream().map(p -> JDK_NAMES.get(p.toLowerCase(Locale.ROOT))).toArray(String[]::new);
    }
}
