package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.install.Installation;
import dev.flotilla.agent.install.ServiceManager;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.Flotilla;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code flotilla agent install}: places the agent under --base-path, enrolls it, and runs it as a systemd
 * service where systemd runs (otherwise prints the command that starts it).
 */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Install the agent under --base-path, enroll it, and start it as a systemd service.",
                "Where systemd does not run, prints the command that starts the agent.",
                "With --fleet-server-* the agent runs a Fleet Server itself and enrolls into its policy."})
public final class InstallCommand implements Callable<Integer> {
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
        PrintWriter out = spec.commandLine().getOut();
        Installation installation = new Installation(base.paths());
        boolean existed = installation.exists();
        String placed = installation.create(programJar(), enroll.url, enroll.force);
        try {
            new AgentEnrollment(base.paths(), enroll, fleetServer, out, spec.commandLine().getErr()).run();
        } catch (RuntimeException e) {
            if (!existed) {
                installation.remove();
            }
            throw e;
        }
        out.println(placed);
        out.println("Installed the agent in " + base.paths().base() + ".");
        out.println(ServiceManager.detect().installAndStart(base.paths()));
        return ExitCodes.OK;
    }

    private static Optional<Path> programJar() {
        try {
            Path p = Path.of(Flotilla.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | SecurityException | AgentException e) {
            return Optional.empty();
        }
    }
}
