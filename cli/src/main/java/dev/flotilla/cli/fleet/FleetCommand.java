package dev.flotilla.cli.fleet;

import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;

/** Placeholder until issue #5 lands: says so instead of pretending to work. */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Manage Fleet settings, policies, tokens and agents (not built yet: issue #5)")
public final class FleetCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'flotilla fleet' is not built yet (issue #5)");
    }
}
