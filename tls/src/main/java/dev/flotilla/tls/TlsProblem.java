package dev.flotilla.tls;

/** What went wrong in a TLS setting or handshake, so callers and tests need not read message text. */
public enum TlsProblem {
    /** A setting or file cannot be used (missing file, wrong passphrase, key not matching, ...). */
    SETTINGS,
    /** The peer's chain does not lead to a trusted CA. */
    UNKNOWN_CA,
    /** {@code ca_trusted_fingerprint} matches no certificate the server presented. */
    FINGERPRINT_NOT_PRESENTED,
    /** {@code ca_trusted_fingerprint} matches a presented certificate that is not a CA. */
    FINGERPRINT_NOT_A_CA,
    /** No certificate of the verified chain has a {@code ca_sha256} pin. */
    PIN_MISMATCH,
    /** The server certificate does not name the host or IP the client connected to. */
    HOSTNAME_MISMATCH,
    /** A certificate of the chain has expired. */
    EXPIRED,
    /** A certificate of the chain is not valid yet. */
    NOT_YET_VALID,
    /** The certificate is not meant for this use (extended key usage), or lacks SANs under strict. */
    WRONG_USAGE,
    /** The server requires a client certificate and none was configured. */
    CLIENT_CERTIFICATE_MISSING,
    /** The server rejected the client certificate (issued by a CA it does not trust, expired, ...). */
    CLIENT_CERTIFICATE_REJECTED,
    /** The client spoke TLS to a plain-HTTP port (use http://, or enable TLS on the server). */
    PLAIN_HTTP_PEER,
    /** The client spoke plain HTTP to a TLS port (use https://). */
    PLAIN_HTTP_CLIENT,
    /** Client and server share no protocol version or cipher suite. */
    NO_COMMON_PARAMETERS,
    /** Anything else; the message carries the engine's own words. */
    OTHER
}
