package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
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
        new Installation(paths).remove();
        out.println("Removed " + paths.base() + ".");
        return ExitCodes.OK;
    }
}
