package dev.flotilla.cli.server;

import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;

/** Placeholder until issue #4 lands: says so instead of pretending to work. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Run the Fleet Server (HTTPS API on port 8220) (not built yet: issue #4)")
public final class ServerCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'flotilla server' is not built yet (issue #4)");
    }
}
