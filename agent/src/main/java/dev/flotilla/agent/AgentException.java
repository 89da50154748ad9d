package dev.flotilla.agent;

/**
 * A failure of the agent whose message alone says what was wrong, where (file, setting, hop) and how to fix it.
 * The CLI prints the message without a stack trace.
 */
public class AgentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
