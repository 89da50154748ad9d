package dev.flotilla.agent.output;

import dev.flotilla.agent.AgentException;

/** A {@code _bulk} did not go through; the events stay queued and are retried. */
public final class OutputException extends AgentException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
