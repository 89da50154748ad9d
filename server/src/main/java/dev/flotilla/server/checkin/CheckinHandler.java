package dev.flotilla.server.checkin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.auth.Authenticator;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Lifecycle;
import dev.flotilla.server.policy.PolicyChangeBuilder;
import dev.flotilla.server.store.AgentCore;
import dev.flotilla.server.store.CheckinUpdate;
import dev.flotilla.server.store.FleetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code POST /api/fleet/agents/{id}/checkin}: validate (auth, body, record the check-in), wait (long poll until
 * something is pending), respond (pending actions and POLICY_CHANGE, {@code ack_token}).
 */
public final class CheckinHandler implements Handler {
    private final Authenticator auth;
    private final CheckinBatcher batcher;
    private final LongPollHub hub;
    private final CheckinResponder responder;
    private final CheckinSettings settings;
    private final Lifecycle lifecycle;
    private final Executor workers;

    public CheckinHandler(FleetStore store, Authenticator auth, CheckinBatcher batcher, LongPollHub hub,
                          PolicyChangeBuilder policyChanges, CheckinSettings settings, Lifecycle lifecycle,
                          Executor workers) {
        this.auth = auth;
        this.batcher = batcher;
        this.hub = hub;
        this.responder = new CheckinResponder(store, policyChanges, new LatestPolicies(store, hub));
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.workers = workers;
    }

    @Override
    public CompletionStage<ApiResponse> handle(ApiRequest request) {
        String agentId = request.pathParam("id");
        AgentCore agent = auth.agent(request, agentId);
        CheckinRequest body = CheckinRequest.parse(request.json());
        batcher.record(new CheckinUpdate(agentId, Instant.now(), body.status(), body.message(),
                body.localMetadata(), body.components()));
        return waitForWork(agent, body, request);
    }

    private CompletionStage<ApiResponse> waitForWork(AgentCore agent, CheckinRequest body, ApiRequest request) {
        LongPollHub.Waiter waiter = hub.register(agent.id(), agent.policyId());
        request.connectionClosed().thenRun(waiter::cancel); // the agent went away: stop waiting
        ObjectNode now;
        try {
            now = responder.answer(agent, body); // read by the authentication just before
        } catch (RuntimeException e) {
            waiter.release(hub.readPause());
            throw e;
        }
        if (!now.get("actions").isEmpty() || lifecycle.stopping()) {
            waiter.release(hub.readPause());
            return CompletableFuture.completedFuture(ApiResponse.json(200, now));
        }
        Duration poll = PollDuration.of(body.pollTimeout(), settings);
        // while it waits, a check-in keeps only what its answer needs: a few fields of the agent and the slim request
        String agentId = agent.id();
        CheckinRequest kept = body.withoutReports();
        Executor connectionThread = request.connectionThread();
        return waiter.await(poll).thenCompose(wake -> {
            if (wake == LongPollHub.Wake.POLICY && waiter.prefetched() != null) {
                // woken by a new revision with its agent read together with the others of its chunk: the answer
                // needs no store read, so it is built on the connection's own thread and written there at once,
                // as that thread gets to it: no answers built ahead and queued in memory, no second thread hop
                return CompletableFuture.supplyAsync(() -> owedPolicyAnswer(agentId, waiter, kept), connectionThread);
            }
            return CompletableFuture.supplyAsync(() -> wake == LongPollHub.Wake.POLICY
                    ? owedPolicyAnswer(agentId, waiter, kept)
                    : ApiResponse.json(200, responder.answer(agentId, kept)), workers);
        });
    }

    /**
     * A new policy revision wakes thousands at once: they get it with one small read each (or none, when the
     * wake-up read the agents of a whole chunk), and answered connections read no new request until every woken
     * check-in's answer is written ({@link dev.flotilla.server.http.ReadPause}).
     */
    private ApiResponse owedPolicyAnswer(String agentId, LongPollHub.Waiter waiter, CheckinRequest kept) {
        ApiResponse answer;
        try {
            answer = ApiResponse.json(200, responder.policyAnswer(agentId, waiter.prefetched(), kept));
        } catch (RuntimeException e) {
            hub.readPause().answered();
            throw e;
        }
        hub.readPause().owe(answer);
        return answer;
    }
}
