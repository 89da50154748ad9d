package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.install.ServiceManager;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.cli.ExitCodes;
import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code flotilla agent status}: the enrollment, policy and last check-in of the agent under --base-path. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the agent's enrollment, policy, Fleet Server, last check-in and queued data.")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    BasePathOption base;

    @Override
    public Integer call() {
        AgentPaths paths = base.paths();
        PrintWriter out = spec.commandLine().getOut();
        Optional<AgentState> loaded = paths.stateStore().load();
        if (loaded.isEmpty()) {
            throw new UserError("no agent is enrolled at " + paths.base() + " (no " + paths.stateFile()
                    + "); enroll with `flotilla agent install` or `flotilla agent enroll`, or check --base-path");
        }
        AgentState s = loaded.get();
        out.println("base path:     " + paths.base());
        out.println("service:       " + ServiceManager.detect().describe(paths));
        if (s.isEnrolled()) {
            out.println("enrolled:      yes, agent id " + s.enrollment().agentId() + " (since " + s.enrollment().enrolledAt() + ")");
            out.println("fleet server:  " + String.join(", ", s.enrollment().connection().hosts()));
            out.println("tags:          " + s.enrollment().tags());
        } else {
            out.println("enrolled:      pending (--delay-enroll), with " + String.join(", ", s.pending().connection().hosts()));
        }
        String policyId = s.policy() != null ? String.valueOf(s.policy().get("id"))
                : s.isEnrolled() ? s.enrollment().policyId() : null;
        out.println("policy:        " + (policyId == null ? "-" : policyId)
                + (s.policy() != null ? " revision " + s.policyRevision() : " (not received yet)"));
        out.println("last check-in: " + (s.lastCheckin() == null ? "never" : s.lastCheckin()));
        if (s.lastCheckinError() != null) {
            out.println("last error:    " + s.lastCheckinError());
        }
        if (s.fleetServer() != null) {
            out.println("fleet server:  runs inside this agent on port " + s.fleetServer().get("port"));
        }
        out.println("log level:     " + (s.logLevel() == null ? "info" : s.logLevel()));
        out.println("queue:         " + queueBytes(paths) + " bytes on disk in " + paths.queueDir());
        return ExitCodes.OK;
    }

    private static long queueBytes(AgentPaths paths) {
        if (!Files.isDirectory(paths.queueDir())) {
            return 0;
        }
        try (Stream<java.nio.file.Path> s = Files.list(paths.queueDir())) {
            return s.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
