package dev.flotilla.pki;

/**
 * A failure with keys, certificates or their files. Every message says what was wrong, which file (or
 * input) and how to fix it, so callers can show it to a person as it is.
 */
public class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
