package dev.flotilla.cli;

/** Exit codes of every flotilla command: 0 ok, 1 failure, 2 usage. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** Returned by long-running commands (servers) whose threads keep the JVM alive after main returns. */
    public static final int KEEP_RUNNING = -1;

    private ExitCodes() {
    }
}
