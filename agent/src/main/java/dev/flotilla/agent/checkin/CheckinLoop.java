package dev.flotilla.agent.checkin;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.enroll.LocalMetadata;
import dev.flotilla.agent.fleet.AckEvent;
import dev.flotilla.agent.fleet.Action;
import dev.flotilla.agent.fleet.CheckinRequest;
import dev.flotilla.agent.fleet.CheckinResponse;
import dev.flotilla.agent.fleet.FleetApi;
import dev.flotilla.agent.fleet.FleetApiException;
import dev.flotilla.agent.fleet.FleetConnection;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.Enrollment;
import dev.flotilla.agent.state.StateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's conversation with Fleet Server: long-poll check-ins, the actions they bring, acks. Failures
 * wait a jittered exponential backoff (and rotate through the Fleet hosts); the loop ends on {@link #stop()} or
 * when the agent is unenrolled.
 */
public final class CheckinLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckinLoop.class);

    private final StateHolder state;
    private final Function<FleetConnection, FleetApi> clients;
    private final ActionRunner actions;
    private final AgentHooks hooks;
    private final Duration pollTimeout;
    private final Backoff backoff;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile FleetApi current;
    private volatile String currentHost;
    private int hostIndex;

    public CheckinLoop(StateHolder state, Function<FleetConnection, FleetApi> clients, AgentHooks hooks,
                       Duration pollTimeout, Backoff backoff) {
        this.state = state;
        this.clients = clients;
        this.hooks = hooks;
        this.pollTimeout = pollTimeout;
        this.backoff = backoff;
        this.actions = new ActionRunner(state, hooks, new FleetHostSwitch(clients));
    }

    @Override
    public void run() {
        try {
            while (running) {
                AgentState s = state.get();
                if (s.enrollment() == null) {
                    return;
                }
                if (!checkinOnce(s.enrollment())) {
                    pause(backoff.next());
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /** One check-in and its actions; false when it failed and the loop should back off. */
    boolean checkinOnce(Enrollment enrollment) {
        FleetConnection conn = enrollment.connection();
        AgentState s = state.get();
        CheckinRequest req = request(s);
        try {
            FleetApi api = client(conn);
            CheckinResponse resp = api.checkin(enrollment.agentId(), enrollment.accessApiKey(), req);
            backoff.reset();
            state.update(st -> st.withCheckin(Instant.now().toString(), null));
            if (!resp.actions().isEmpty()) {
                handle(api, enrollment, resp, req);
            } else if (!resp.ackToken().isEmpty()) {
                state.update(st -> st.withAckToken(resp.ackToken()));
            }
            return true;
        } catch (AgentException e) {
            if (!running || Thread.currentThread().isInterrupted()) {
                return false;
            }
            return failed(e, conn);
        }
    }

    private boolean failed(AgentException failure, FleetConnection conn) {
        if (failure instanceof FleetApiException e) {
            record(e);
            if (!e.retryable()) {
                LOG.error("check-in refused: {}", e.getMessage());
            } else {
                LOG.warn("check-in failed, retrying in up to {} ms: {}", backoff.ceiling().toMillis(), e.getMessage());
            }
            return false;
        }
        record(failure);
        LOG.warn("check-in failed, retrying in up to {} ms: {}", backoff.ceiling().toMillis(), failure.getMessage());
        rotateHost(conn);
        return false;
    }

    private void handle(FleetApi api, Enrollment enrollment, CheckinResponse resp, CheckinRequest req) {
        List<AckEvent> acks = new ArrayList<>();
        boolean unenroll = false;
        for (Action a : resp.actions()) {
            ActionRunner.Outcome outcome = actions.run(a, req);
            acks.add(outcome.ack());
            unenroll |= outcome.unenroll();
        }
        api.ack(enrollment.agentId(), enrollment.accessApiKey(), acks);
        state.update(st -> st.withAckToken(resp.ackToken()));
        if (unenroll) {
            LOG.warn("agent.id={} was unenrolled by Fleet: erasing its credentials and stopping", enrollment.agentId());
            state.erase();
            running = false;
            hooks.unenrolled();
        }
    }

    private CheckinRequest request(AgentState s) {
        String[] health = hooks.health();
        String policyId = s.policy() != null && s.policy().get("id") != null ? String.valueOf(s.policy().get("id"))
                : s.enrollment().policyId();
        return new CheckinRequest(health[0], health[1], s.ackToken(),
                LocalMetadata.collect(s.enrollment().agentId(), s.logLevel()), s.policy() == null ? null : policyId,
                s.policyRevision(), pollTimeout);
    }

    private FleetApi client(FleetConnection conn) {
        String host = conn.hosts().get(hostIndex % conn.hosts().size());
        FleetApi api = current;
        if (api == null || !host.equals(currentHost)) {
            api = clients.apply(rotated(conn));
            current = api;
            currentHost = host;
        }
        return api;
    }

    private FleetConnection rotated(FleetConnection conn) {
        int i = hostIndex % conn.hosts().size();
        List<String> order = new ArrayList<>(conn.hosts().subList(i, conn.hosts().size()));
        order.addAll(conn.hosts().subList(0, i));
        return conn.withHosts(order);
    }

    private void rotateHost(FleetConnection conn) {
        if (conn.hosts().size() > 1) {
            hostIndex = (hostIndex + 1) % conn.hosts().size();
        }
        current = null;
    }

    private void record(AgentException e) {
        try {
            state.update(st -> st.withCheckin(st.lastCheckin(), e.getMessage()));
        } catch (AgentException saveFailed) {
            LOG.warn("cannot record the check-in failure: {}", saveFailed.getMessage());
        }
    }

    private void pause(Duration d) {
        try {
            if (stopRequested.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                running = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Asks the loop to end; an in-flight long poll is abandoned by the caller interrupting the thread. */
    public void stop() {
        running = false;
        stopRequested.countDown();
    }

    /** Waits up to {@code timeout} for {@link #run()} to return. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isRunning() {
        return running;
    }

    /** The connection in use (for status and tests). */
    public Optional<String> currentUrl() {
        FleetApi api = current;
        return api == null ? Optional.empty() : Optional.of(api.url());
    }
}
