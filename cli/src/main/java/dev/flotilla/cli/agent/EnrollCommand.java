package dev.flotilla.cli.agent;

import dev.flotilla.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code flotilla agent enroll}: enroll an agent (installed or not) with Fleet Server; does not start it. */
@Command(name = "enroll", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Enroll the agent under --base-path with Fleet Server; does not start it.",
                "With --fleet-server-* the agent runs a Fleet Server itself and enrolls into its policy.",
                "Start the agent afterwards with `flotilla agent run`."})
public final class EnrollCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    BasePathOption base;
    @Mixin
    EnrollOptions enroll;
    @Mixin
    FleetServerOptions fleetServer;

    @Override
    public Integer call() {
        new AgentEnrollment(base.paths(), enroll, fleetServer, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
        spec.commandLine().getOut().println("Start the agent with: flotilla agent run --base-path " + base.paths().base());
        return ExitCodes.OK;
    }
}
