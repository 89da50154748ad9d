package dev.flotilla.tls.internal;

import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;
import dev.flotilla.tls.VerificationMode;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads a YAML/JSON {@code ssl} map (nested or dotted keys, with or without the {@code ssl.} prefix). */
public final class SettingsMap {

    private static final Set<String> KNOWN = new TreeSet<>(List.of("enabled", "certificate", "key",
            "key_passphrase", "key_passphrase_path", "certificate_authorities", "client_authentication",
            "verification_mode", "ca_trusted_fingerprint", "ca_sha256", "supported_protocols", "cipher_suites",
            "curve_types", "renegotiation"));

    private SettingsMap() {
    }

    public static TlsSettings read(Map<String, ?> ssl, String source) {
        String src = source == null || source.isBlank() ? "ssl" : source;
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", ssl == null ? Map.of() : ssl, flat, src);
        TlsSettings.Builder b = TlsSettings.builder().source(src);
        for (Map.Entry<String, Object> e : flat.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            try {
                apply(b, name, value);
            } catch (TlsException ex) {
                throw new TlsException(src + ": " + ex.getMessage(), ex);
            }
        }
        return b.build();
    }

    private static void apply(TlsSettings.Builder b, String name, Object value) {
        switch (name) {
            case "enabled" -> b.enabled(bool(name, value));
            case "certificate" -> b.certificate(scalar(name, value));
            case "key" -> b.key(scalar(name, value));
            case "key_passphrase" -> b.keyPassphrase(scalar(name, value));
            case "key_passphrase_path" -> {
                String p = scalar(name, value);
                b.keyPassphrasePath(p == null || p.isBlank() ? null : Path.of(p.strip()));
            }
            case "certificate_authorities" -> b.certificateAuthorities(list(name, value));
            case "client_authentication" -> b.clientAuthentication(ClientAuthentication.parse(scalar(name, value)));
            case "verification_mode" -> b.verificationMode(VerificationMode.parse(scalar(name, value)));
            case "ca_trusted_fingerprint" -> b.caTrustedFingerprint(scalar(name, value));
            case "ca_sha256" -> b.caSha256(list(name, value));
            case "supported_protocols" -> b.supportedProtocols(list(name, value));
            case "cipher_suites" -> b.cipherSuites(list(name, value));
            case "curve_types" -> b.curveTypes(list(name, value));
            case "renegotiation" -> {
                // accepted so Elastic configurations read as they are; TLS renegotiation is never offered
                String r = scalar(name, value);
                if (r != null && !List.of("never", "once", "freely").contains(r.trim().toLowerCase(Locale.ROOT))) {
                    throw new TlsException("ssl.renegotiation: '" + r + "' (expected one of: never, once, freely)");
                }
            }
            default -> throw new TlsException("unknown setting ssl." + name + " (known: ssl." + String.join(", ssl.", KNOWN)
                    + ")");
        }
    }

    private static void flatten(String prefix, Map<String, ?> map, Map<String, Object> out, String source) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String key = prefix + String.valueOf(e.getKey()).trim();
            if (prefix.isEmpty() && key.equals("ssl") && e.getValue() instanceof Map<?, ?>) {
                key = "";
            } else if (prefix.isEmpty() && key.startsWith("ssl.")) {
                key = key.substring("ssl.".length());
            }
            if (e.getValue() instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, ?> n = (Map<String, ?>) nested;
                flatten(key.isEmpty() ? "" : key + ".", n, out, source);
            } else if (out.put(key, e.getValue()) != null) {
                throw new TlsException(source + ": ssl." + key + " is given twice (nested and dotted?); keep one");
            }
        }
    }

    private static String scalar(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> || value.getClass().isArray()) {
            throw new TlsException("ssl." + name + ": expected a single value, got a list " + value);
        }
        return String.valueOf(value);
    }

    private static boolean bool(String name, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = scalar(name, value);
        if ("true".equalsIgnoreCase(s) || "false".equalsIgnoreCase(s)) {
            return Boolean.parseBoolean(s);
        }
        throw new TlsException("ssl." + name + ": '" + value + "' (expected: true or false)");
    }

    /** A list, or one value (YAML users write a single CA without brackets). */
    private static List<String> list(String name, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(v -> scalar(name, v)).toList();
        }
        return List.of(scalar(name, value));
    }
}
