package dev.flotilla.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a client checks the certificate a server presents ({@code ssl.verification_mode}).
 *
 * <table>
 * <tr><th>mode</th><th>chain checked</th><th>hostname checked</th></tr>
 * <tr><td>full</td><td>yes</td><td>yes (IP against IP SANs, DNS against DNS SANs, CN only without DNS SANs)</td></tr>
 * <tr><td>strict</td><td>yes, and the certificate must carry SANs</td><td>yes, never the CN</td></tr>
 * <tr><td>certificate</td><td>yes</td><td>no</td></tr>
 * <tr><td>none</td><td>no</td><td>no</td></tr>
 * </table>
 */
public enum VerificationMode {
    FULL, STRICT, CERTIFICATE, NONE;

    /** The setting value as written in configuration files. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean checksChain() {
        return this != NONE;
    }

    public boolean checksHostname() {
        return this == FULL || this == STRICT;
    }

    /** Parses {@code full|strict|certificate|none}, any case. */
    public static VerificationMode parse(String value) {
        for (VerificationMode m : values()) {
            if (m.settingValue().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return m;
            }
        }
        throw new TlsException("ssl.verification_mode: '" + value + "' (expected one of: " + choices() + ")");
    }

    static String choices() {
        return Arrays.stream(values()).map(VerificationMode::settingValue).collect(Collectors.joining(", "));
    }
}
