package dev.flotilla.agent.fleet;

import dev.flotilla.agent.AgentException;

/**
 * Fleet Server answered with an error status. {@link #status()} is the HTTP status, {@link #errorType()} the
 * {@code error} field of its body (e.g. {@code ErrAgentInactive}).
 */
public final class FleetApiException extends AgentException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String errorType;

    public FleetApiException(int status, String errorType, String message) {
        super(message);
        this.status = status;
        this.errorType = errorType;
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    /** Worth retrying later: rate limits, overload, shutdown, server faults. */
    public boolean retryable() {
        return status == 429 || status == 499 || status >= 500;
    }

    /** The agent's credentials are no longer accepted (unenrolled, key revoked, record gone). */
    public boolean credentialsRejected() {
        return status == 401 || status == 403 || status == 404;
    }
}
