package dev.flotilla.cli;

import dev.flotilla.cli.agent.AgentCommand;
import dev.flotilla.cli.certutil.CertutilCommand;
import dev.flotilla.cli.fleet.FleetCommand;
import dev.flotilla.cli.internal.ClassArchiveTrainingCommand;
import dev.flotilla.cli.quickstart.QuickstartCommand;
import dev.flotilla.cli.server.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code flotilla} command: every tool of the product is a subcommand of it. */
@Command(name = "flotilla",
        mixinStandardHelpOptions = true,
        versionProvider = FlotillaVersion.class,
        description = {
                "Flotilla: a self-managed fleet server for agents, with TLS done right.",
                "",
                "Certificates (certutil), the Fleet Server (server), the agent (agent),",
                "Fleet management (fleet) and a one-command demo (quickstart)."},
        subcommands = {
                CertutilCommand.class,
                ServerCommand.class,
                AgentCommand.class,
                FleetCommand.class,
                QuickstartCommand.class,
                ClassArchiveTrainingCommand.class,
                CommandLine.HelpCommand.class})
public final class Flotilla implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with Flotilla's exit codes and error printing, for main and for tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Flotilla());
        cl.setExecutionExceptionHandler(new ErrorPrinter());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != ExitCodes.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
