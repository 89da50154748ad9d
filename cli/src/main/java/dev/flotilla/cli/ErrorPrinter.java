package dev.flotilla.cli;

import picocli.CommandLine;

/**
 * The one place where a failed command becomes an exit code and a message: the message is printed, never a
 * stack trace, unless {@code FLOTILLA_DEBUG=1} is set.
 */
final class ErrorPrinter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println("error: " + message);
        if ("1".equals(System.getenv("FLOTILLA_DEBUG"))) {
            ex.printStackTrace(cmd.getErr());
        }
        return ExitCodes.FAILURE;
    }
}
