package dev.flotilla.cli.quickstart;

import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;

/** Placeholder until issue #4 lands: says so instead of pretending to work. */
@Command(name = "quickstart", mixinStandardHelpOptions = true, description = "Start a TLS Fleet Server with a CA, a policy and a token, and print the agent command (not built yet: issue #4)")
public final class QuickstartCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'flotilla quickstart' is not built yet (issue #4)");
    }
}
