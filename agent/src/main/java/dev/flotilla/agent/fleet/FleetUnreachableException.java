package dev.flotilla.agent.fleet;

import dev.flotilla.agent.AgentException;

/** No HTTP answer from Fleet Server: connection refused, TLS handshake failed, timed out. */
public final class FleetUnreachableException extends AgentException {
    private static final long serialVersionUID = 1L;

    public FleetUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
