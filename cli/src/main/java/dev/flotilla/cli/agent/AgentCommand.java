package dev.flotilla.cli.agent;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code flotilla agent}: install, enroll, run, status and uninstall a Fleet-managed agent. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Install, enroll and run a Fleet-managed agent (flags as elastic-agent's).",
                "", "Typical use:",
                "  flotilla agent install --url=https://fleet.example.com:8220 \\",
                "      --enrollment-token=<token> --certificate-authorities=/path/to/ca.crt"},
        subcommands = {InstallCommand.class, EnrollCommand.class, RunCommand.class, StatusCommand.class,
                UninstallCommand.class})
public final class AgentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
