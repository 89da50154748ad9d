package dev.flotilla.tls;

import java.util.Locale;

/** Whether a TLS server asks clients for a certificate ({@code ssl.client_authentication}). */
public enum ClientAuthentication {
    /** No client certificate is requested. */
    NONE,
    /** A client certificate is requested and verified when sent; clients without one are let in. */
    OPTIONAL,
    /** Clients must present a certificate issued by one of {@code ssl.certificate_authorities}. */
    REQUIRED;

    /** The setting value as written in configuration files. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none|optional|required}, any case. */
    public static ClientAuthentication parse(String value) {
        for (ClientAuthentication c : values()) {
            if (c.settingValue().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return c;
            }
        }
        throw new TlsException("ssl.client_authentication: '" + value + "' (expected one of: none, optional, required)");
    }
}
