package dev.flotilla.tls;

/**
 * A TLS setting that cannot be used or a handshake that failed. The message names the hop, the setting and
 * file, the certificates involved and the likely fix, so it can be shown to a person as it is.
 */
public class TlsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final TlsProblem problem;

    public TlsException(String message) {
        this(TlsProblem.SETTINGS, message, null);
    }

    public TlsException(String message, Throwable cause) {
        this(TlsProblem.SETTINGS, message, cause);
    }

    public TlsException(TlsProblem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    /** What kind of failure this is. */
    public TlsProblem problem() {
        return problem;
    }
}
