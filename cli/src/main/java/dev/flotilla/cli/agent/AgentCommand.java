package dev.flotilla.cli.agent;

import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;

/** Placeholder until issue #6 lands: says so instead of pretending to work. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Install, enroll and run an agent (not built yet: issue #6)")
public final class AgentCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'flotilla agent' is not built yet (issue #6)");
    }
}
