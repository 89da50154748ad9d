package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import dev.flotilla.cli.UserError;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code --fleet-server-*}: runs a Fleet Server inside the agent (the server module's Java API) and prepares the
 * agent's enrollment into the {@code --fleet-server-policy}.
 */
final class FleetServerBootstrap {

    /** What a bootstrap prepared: the server's settings (kept in the agent state), a token, CAs to trust. */
    record Prepared(Map<String, Object> settings, String enrollmentToken, List<String> trustedCaPems) {
        Running start() {
            throw new UserError("the --fleet-server-* bootstrap needs the Fleet Server module, which is not built yet");
        }
    }

    /** A started embedded Fleet Server. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }

    private FleetServerBootstrap() {
    }

    static Prepared prepare(AgentPaths paths, FleetServerOptions o, EnrollOptions enroll, PrintWriter err) {
        throw new UserError("the --fleet-server-* bootstrap needs the Fleet Server module, which is not built yet");
    }

    static Running startFromState(AgentPaths paths, Map<String, Object> settings) {
        throw new UserError("the --fleet-server-* bootstrap needs the Fleet Server module, which is not built yet");
    }
}
