package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.enroll.Enroller;
import dev.flotilla.agent.fleet.FleetConnection;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.Enrollment;
import dev.flotilla.agent.state.PendingEnrollment;
import dev.flotilla.agent.state.StateStore;
import dev.flotilla.cli.UserError;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The enrollment shared by {@code install} and {@code enroll}: refuses to replace an enrollment without
 * {@code --force}, bootstraps a Fleet Server when {@code --fleet-server-*} flags ask for one, then enrolls (or
 * stores the enrollment for the first run with {@code --delay-enroll}) and saves the encrypted state.
 */
final class AgentEnrollment {
    private final AgentPaths paths;
    private final EnrollOptions options;
    private final FleetServerOptions fleetServer;
    private final PrintWriter out;
    private final PrintWriter err;

    AgentEnrollment(AgentPaths paths, EnrollOptions options, FleetServerOptions fleetServer, PrintWriter out, PrintWriter err) {
        this.paths = paths;
        this.options = options;
        this.fleetServer = fleetServer;
        this.out = out;
        this.err = err;
    }

    /** Enrolls; returns the saved state. */
    AgentState run() {
        StateStore store = paths.stateStore();
        refuseToReplaceWithoutForce(store);
        if (fleetServer != null && fleetServer.requested()) {
            try (FleetServerBootstrap.Prepared bootstrap = FleetServerBootstrap.prepare(paths, fleetServer, options, err)) {
                return enroll(store, bootstrap.enrollmentToken(), bootstrap.trustedCas(), bootstrap.settings());
            }
        }
        return enroll(store, options.enrollmentToken, List.of(), null);
    }

    private AgentState enroll(StateStore store, String token, List<String> extraCas, Map<String, Object> serverSettings) {
        if (token == null || token.isBlank()) {
            throw new UserError("--enrollment-token is required: the token of the policy this agent joins (Fleet >"
                    + " Enrollment tokens, or `flotilla fleet tokens create --policy=ID`)");
        }
        FleetConnection conn = FleetConnectionSettings.from(options, extraCas, err);
        PendingEnrollment pending = new PendingEnrollment(conn, token, options.id, options.replaceToken, options.tags);
        AgentState state;
        if (options.delayEnroll) {
            state = AgentState.pending(pending).withFleetServer(serverSettings);
            store.save(state);
            out.println("Enrollment stored (encrypted) in " + paths.stateFile() + "; it happens when the agent first runs.");
            return state;
        }
        Enrollment enrollment = new Enroller().enroll(pending);
        state = AgentState.enrolled(enrollment).withFleetServer(serverSettings);
        store.save(state);
        out.println("Successfully enrolled the agent: id " + enrollment.agentId() + ", policy " + enrollment.policyId()
                + ", Fleet Server " + conn.hosts().get(0));
        return state;
    }

    private void refuseToReplaceWithoutForce(StateStore store) {
        if (!store.exists()) {
            return;
        }
        Optional<AgentState> existing;
        try {
            existing = store.load();
        } catch (AgentException e) {
            if (options.force) {
                return;
            }
            throw new UserError(e.getMessage());
        }
        if (existing.isPresent() && !options.force) {
            String who = existing.get().isEnrolled() ? "as agent " + existing.get().enrollment().agentId()
                    : "(enrollment pending for the first run)";
            throw new UserError("this agent (" + paths.base() + ") is already enrolled " + who + "; pass --force to"
                    + " enroll again and replace that enrollment");
        }
    }
}
