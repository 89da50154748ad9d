package dev.flotilla.cli;

/**
 * A failure caused by the user's input or environment, whose message alone says what was wrong and how to
 * fix it. The CLI prints the message without a stack trace and exits with {@link ExitCodes#FAILURE}.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
