package dev.flotilla.server.http;

import java.util.Locale;

/** Reads an {@code Accept-Encoding} request header (RFC 9110, 12.5.3). */
final class AcceptEncoding {
    private AcceptEncoding() {
    }

    /**
     * Whether {@code header} lets the response be gzip: {@code gzip} (or {@code x-gzip}, or {@code *} when gzip is
     * not named) with a weight above 0. No header: no.
     */
    static boolean allowsGzip(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        Boolean star = null;
        for (String item : header.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean allowed = weight(parts) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return allowed;
            }
            if (coding.equals("*")) {
                star = allowed;
            }
        }
        return Boolean.TRUE.equals(star);
    }

    /** The {@code q} parameter of one list item (1 when absent; 0 when it is not a number). */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
