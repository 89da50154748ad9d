package dev.flotilla.cli.agent;

import dev.flotilla.agent.Agent;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.AgentState;

import static dev.flotilla.cli.agent.AgentEndToEndTest.await;
import static dev.flotilla.cli.agent.AgentEndToEndTest.fast;

/** What {@code flotilla agent run} does, in-process: the recorded Fleet Server, then the agent. */
final class BootstrapRun implements AutoCloseable {
    final FleetServerBootstrap.Running server;
    final Agent agent;

    BootstrapRun(AgentPaths paths) {
        AgentState s = paths.stateStore().load().orElseThrow();
        server = FleetServerBootstrap.start(paths, s.fleetServer());
        Agent started;
        try {
            started = Agent.start(paths, fast());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        agent = started;
    }

    String token(String policy) {
        return server.server().enrollmentTokens().create("more agents", policy).token();
    }

    void awaitPolicyAcked() throws InterruptedException {
        String id = agent.state().enrollment().agentId();
        await("bootstrap agent acked its policy",
                () -> server.server().store().findAgent(id).map(a -> a.policyRevision() >= 1).orElse(false));
    }

    @Override
    public void close() {
        agent.close();
        server.close();
    }
}
