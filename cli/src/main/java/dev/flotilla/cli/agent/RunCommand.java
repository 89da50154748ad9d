package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentOptions;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code flotilla agent run}: runs the enrolled agent in the foreground (what the systemd unit starts) until it
 * is stopped or unenrolled; with a bootstrapped Fleet Server, starts that first.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the enrolled agent in the foreground (the systemd service runs this).")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    BasePathOption base;
    @Option(names = "--poll-timeout", hidden = true, defaultValue = "PT5M", description = "Check-in long-poll length (ISO-8601)")
    Duration pollTimeout;
    @Option(names = "--monitor-interval", hidden = true, defaultValue = "PT30S", description = "Self-monitoring period (ISO-8601)")
    Duration monitorInterval;

    @Override
    public Integer call() throws InterruptedException {
        AgentPaths paths = base.paths();
        Optional<AgentState> state = paths.stateStore().load();
        if (state.isEmpty()) {
            throw new UserError("this agent is not enrolled (no " + paths.stateFile() + "); run `flotilla agent"
                    + " enroll --url=... --enrollment-token=... --base-path=" + paths.base() + "` first");
        }
        LogLevels.apply(state.get().logLevel());
        FleetServerBootstrap.Running server = state.get().fleetServer() == null ? null
                : FleetServerBootstrap.start(paths, state.get().fleetServer());
        AgentOptions options = AgentOptions.defaults().withPollTimeout(pollTimeout)
                .withMonitorInterval(monitorInterval).withLogLevelSetter(LogLevels::apply);
        Agent agent;
        try {
            agent = Agent.start(paths, options);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
        Thread hook = new Thread(() -> {
            agent.close();
            if (server != null) {
                server.close();
            }
        }, "agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("Agent " + agent.state().enrollment().agentId() + " running (base path "
                + paths.base() + "); stop with Ctrl-C or SIGTERM.");
        spec.commandLine().getOut().flush();
        while (!agent.awaitTermination(Duration.ofSeconds(5))) {
            // runs until stopped or unenrolled
        }
        if (server != null) {
            server.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running
        }
        spec.commandLine().getOut().println("Agent stopped.");
        return ExitCodes.OK;
    }
}
