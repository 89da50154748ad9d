package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.fleet.FleetClient;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.Enrollment;
import dev.flotilla.agent.install.Installation;
import dev.flotilla.agent.install.ServiceManager;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code flotilla agent uninstall}: stops and removes the service and deletes the base path (state, queue, keys). */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Stop the agent's service and remove everything under --base-path (enrollment, queue, vault key).")
public final class UninstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    BasePathOption base;
    @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation")
    boolean force;
    @Option(names = {"-n", "--non-interactive"}, description = "Do not ask for confirmation")
    boolean nonInteractive;

    @Override
    public Integer call() {
        AgentPaths paths = base.paths();
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(paths.base())) {
            throw new UserError("no agent is installed at " + paths.base() + "; check --base-path");
        }
        if (!force && !nonInteractive && System.console() != null) {
            String answer = System.console().readLine("Remove the agent at %s, its enrollment and queued events? [y/N] ", paths.base());
            if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                out.println("Nothing removed.");
                return ExitCodes.FAILURE;
            }
        }
        out.println(ServiceManager.detect().stopAndRemove(paths));
        notifyFleet(paths, out);
        new Installation(paths).remove();
        out.println("Removed " + paths.base() + ".");
        return ExitCodes.OK;
    }

    /** Best effort: tells Fleet Server the agent was uninstalled, so it is not shown as merely offline. */
    private void notifyFleet(AgentPaths paths, PrintWriter out) {
        Optional<AgentState> state;
        try {
            state = paths.stateStore().load();
        } catch (AgentException e) {
            return;
        }
        if (state.isEmpty() || !state.get().isEnrolled() || state.get().fleetServer() != null) {
            return;
        }
        Enrollment e = state.get().enrollment();
        try (FleetClient client = FleetClient.connect(e.connection())) {
            client.auditUnenroll(e.agentId(), e.accessApiKey(), "uninstall");
            out.println("Told Fleet Server at " + client.url() + " that agent " + e.agentId() + " was uninstalled.");
        } catch (AgentException failure) {
            spec.commandLine().getErr().println("warning: could not tell Fleet Server that agent " + e.agentId()
                    + " was uninstalled (" + failure.getMessage() + "); Fleet will show it offline");
        }
    }
}
