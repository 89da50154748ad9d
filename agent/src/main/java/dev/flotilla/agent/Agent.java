package dev.flotilla.agent;

import dev.flotilla.agent.checkin.AgentHooks;
import dev.flotilla.agent.checkin.Backoff;
import dev.flotilla.agent.checkin.CheckinLoop;
import dev.flotilla.agent.enroll.DelayedEnrollment;
import dev.flotilla.agent.enroll.Enroller;
import dev.flotilla.agent.fleet.FleetClient;
import dev.flotilla.agent.input.LogfileInput;
import dev.flotilla.agent.input.LogfileSpec;
import dev.flotilla.agent.input.SelfMonitor;
import dev.flotilla.agent.output.Outputs;
import dev.flotilla.agent.state.AgentState;
import dev.flotilla.agent.state.StateHolder;
import dev.flotilla.agent.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running agent: the check-in loop, the policy's Elasticsearch outputs (each with a disk queue and a shipper),
 * the logfile input and self-monitoring. Starts from the encrypted state under the base path (enrolling first when
 * the enrollment was delayed); {@link #close()} stops everything, keeping queued events on disk.
 */
public final class Agent implements AgentHooks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentOptions options;
    private final StateHolder state;
    private final Outputs outputs;
    private final LogfileInput logfiles;
    private final SelfMonitor monitor;
    private final CheckinLoop checkin;
    private final ScheduledExecutorService timers;
    private final Thread checkinThread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile String outputError;

    private Agent(AgentPaths paths, AgentOptions options, AgentState initial) {
        this.options = options;
        StateStore store = paths.stateStore();
        this.state = new StateHolder(store, initial);
        String agentId = initial.enrollment().agentId();
        this.outputs = new Outputs(paths.queueDir());
        this.logfiles = new LogfileInput(outputs::queue, paths.registryFile(), agentId);
        this.monitor = new SelfMonitor(agentId, this::health, outputs::pending);
        this.checkin = new CheckinLoop(state, FleetClient::connect, this, options.pollTimeout(),
                new Backoff(options.backoffInitial(), options.backoffMax()));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-timers"));
        this.checkinThread = daemon(checkin, "agent-checkin");
    }

    /** Loads the state under {@code paths} (enrolling a delayed enrollment first) and starts the agent. */
    public static Agent start(AgentPaths paths, AgentOptions options) {
        StateStore store = paths.stateStore();
        AgentState s = store.load().orElseThrow(() -> new AgentException("this agent is not enrolled (no state in "
                + paths.stateFile() + "); run `flotilla agent enroll --url=... --enrollment-token=... --base-path="
                + paths.base() + "` first"));
        if (!s.isEnrolled()) {
            LOG.info("enrolling now (the enrollment was delayed with --delay-enroll)");
            Backoff backoff = new Backoff(options.backoffInitial(), options.backoffMax());
            s = s.withEnrollment(new DelayedEnrollment(new Enroller(), backoff).enroll(s.pending()));
            store.save(s);
        }
        if (s.logLevel() != null) {
            options.logLevelSetter().accept(s.logLevel());
        }
        Agent agent = new Agent(paths, options, s);
        agent.begin();
        return agent;
    }

    private void begin() {
        AgentState s = state.get();
        LOG.info("agent.id={} starting; fleet={} queued events={}", s.enrollment().agentId(),
                s.enrollment().connection().hosts(), outputs.pending());
        if (s.policy() != null) {
            try {
                policyChanged(s.policy());
            } catch (AgentException e) {
                LOG.warn("stored policy revision {} cannot be applied: {}", s.policyRevision(), e.getMessage());
            }
        }
        checkinThread.start();
        timers.scheduleWithFixedDelay(this::pollLogfiles, 0, options.logfileInterval().toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::tickMonitor, 0, options.monitorInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void policyChanged(Map<String, Object> policy) {
        List<LogfileSpec> specs = LogfileSpec.fromPolicy(policy);
        logfiles.configure(specs);
        String monitoringOutput = monitoringOutput(policy);
        boolean monitoring = monitoringEnabled(policy) && policy.get("outputs") instanceof Map<?, ?> outs
                && outs.containsKey(monitoringOutput);
        monitor.configure(monitoring, "default", monitoring ? outputs.queue(monitoringOutput) : null);
        try {
            outputs.configure(policy);
            outputError = null;
        } catch (AgentException e) {
            outputError = e.getMessage();
            throw e;
        }
        LOG.info("policy applied: logfile streams={} monitoring output={}", specs.size(), monitoring ? monitoringOutput : "off");
    }

    @Override
    public void logLevelChanged(String level) {
        options.logLevelSetter().accept(level);
        LOG.info("log level set to {} by Fleet", level);
    }

    @Override
    public void unenrolled() {
        Thread t = new Thread(this::close, "agent-unenroll");
        t.start();
    }

    @Override
    public String[] health() {
        String err = outputs.lastError();
        if (err != null || outputError != null) {
            return new String[] {"degraded", "output: " + (err != null ? err : outputError)};
        }
        return new String[] {"online", "Running"};
    }

    public AgentState state() {
        return state.get();
    }

    public long pendingEvents() {
        return outputs.pending();
    }

    public long shippedEvents() {
        return outputs.shipped();
    }

    /** True once the agent stopped (closed, or unenrolled by Fleet). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (terminated.getCount() == 0) {
            return;
        }
        checkin.stop();
        timers.shutdownNow();
        checkinThread.interrupt();
        try {
            checkinThread.join(5000);
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outputs.close();
        terminated.countDown();
        LOG.info("agent stopped; {} events stay queued on disk", outputs.pending());
    }

    private void pollLogfiles() {
        try {
            logfiles.poll();
        } catch (RuntimeException e) {
            LOG.warn("logfile input: {}", e.getMessage());
        }
    }

    private void tickMonitor() {
        try {
            monitor.tick();
        } catch (RuntimeException e) {
            LOG.warn("self-monitoring: {}", e.getMessage());
        }
    }

    private static String monitoringOutput(Map<String, Object> policy) {
        if (policy.get("agent") instanceof Map<?, ?> a && a.get("monitoring") instanceof Map<?, ?> m
                && m.get("use_output") != null) {
            return String.valueOf(m.get("use_output"));
        }
        if (policy.get("outputs") instanceof Map<?, ?> outs && !outs.containsKey("default") && !outs.isEmpty()) {
            return String.valueOf(outs.keySet().iterator().next());
        }
        return "default";
    }

    private static boolean monitoringEnabled(Map<String, Object> policy) {
        if (policy.get("agent") instanceof Map<?, ?> a && a.get("monitoring") instanceof Map<?, ?> m) {
            return !Boolean.FALSE.equals(m.get("enabled"));
        }
        return true;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
