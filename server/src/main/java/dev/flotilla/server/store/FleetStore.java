package dev.flotilla.server.store;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Everything the Fleet Server keeps: agents, policies and their revisions, API keys, enrollment keys, actions,
 * action results and settings. Ids are strings; policies have increasing revisions; actions and revisions have
 * store-wide sequence numbers so that {@link #changesSince} lets a server learn what another process wrote.
 * Every write is durable when the method returns. Failures throw {@link StoreException}.
 */
public interface FleetStore extends AutoCloseable {

    // ---- policies

    /** Writes the next revision of a policy (1 for a new policy) and returns it. */
    PolicyRevision putPolicy(String policyId, String data);

    Optional<PolicyRevision> latestPolicy(String policyId);

    /** The policy ids with their latest revision. */
    List<PolicyRevision> listPolicies();

    // ---- API keys and enrollment keys

    void createApiKey(ApiKeyRecord key);

    Optional<ApiKeyRecord> findApiKey(String id);

    void invalidateApiKeys(Collection<String> ids, Instant at);

    /** Stores an enrollment key together with its API key, in one transaction. */
    void createEnrollmentKey(EnrollmentKey key, ApiKeyRecord apiKey);

    Optional<EnrollmentKey> findEnrollmentKey(String id);

    Optional<EnrollmentKey> findEnrollmentKeyByApiKeyId(String apiKeyId);

    List<EnrollmentKey> listEnrollmentKeys();

    /** Deactivates an enrollment key and invalidates its API key; false when there is no such key. */
    boolean revokeEnrollmentKey(String id, Instant at);

    // ---- agents

    /**
     * Stores a new agent, or replaces an existing one with the same id, together with its access API key and the
     * invalidation of the replaced agent's key, in one transaction.
     */
    void enrollAgent(AgentRecord agent, ApiKeyRecord accessKey);

    /**
     * {@link #enrollAgent} without holding the calling thread while the write commits: the stage completes once
     * the enrollment is durable. Continuations must not block. The default runs the write on the caller.
     */
    default CompletionStage<Void> enrollAgentAsync(AgentRecord agent, ApiKeyRecord accessKey) {
        enrollAgent(agent, accessKey);
        return CompletableFuture.completedFuture(null);
    }

    Optional<AgentRecord> findAgent(String agentId);

    /** The agent's core fields for the agent-facing hot path (see {@link AgentCore}); a store may read less for it. */
    default Optional<AgentCore> findAgentCore(String agentId) {
        return findAgent(agentId).map(AgentCore::of);
    }

    /**
     * True when {@link #findAgentCores} reads many agents for little more than the cost of one; only then does a
     * policy wake-up read its agents in batches (with the one-by-one default it would only delay the first answers).
     */
    default boolean batchesAgentCoreReads() {
        return false;
    }

    /**
     * The core fields of several agents at once, by id; ids with no agent are left out. A policy change wakes
     * thousands of check-ins together, and one read for many of them costs far less than one read each. The
     * default reads them one by one.
     */
    default Map<String, AgentCore> findAgentCores(Collection<String> agentIds) {
        Map<String, AgentCore> found = new HashMap<>();
        for (String id : agentIds) {
            findAgentCore(id).ifPresent(core -> found.put(id, core));
        }
        return found;
    }

    Optional<AgentRecord> findAgentByEnrollmentId(String enrollmentId);

    List<AgentRecord> listAgents();

    /** Applies a batch of check-ins in one transaction; unknown agents are skipped. */
    void recordCheckins(List<CheckinUpdate> updates);

    /** Raises the agent's acknowledged policy revision (never lowers it) if the policy is still its policy. */
    void recordPolicyAck(String agentId, String policyId, long revision, Instant at);

    /** {@link #recordPolicyAck}, completing once durable (see {@link #enrollAgentAsync}). */
    default CompletionStage<Void> recordPolicyAckAsync(String agentId, String policyId, long revision, Instant at) {
        recordPolicyAck(agentId, policyId, revision, at);
        return CompletableFuture.completedFuture(null);
    }

    /** Raises the agent's acknowledged action sequence number (never lowers it). */
    void recordActionSeqNo(String agentId, long seqNo, Instant at);

    /** {@link #recordActionSeqNo}, completing once durable (see {@link #enrollAgentAsync}). */
    default CompletionStage<Void> recordActionSeqNoAsync(String agentId, long seqNo, Instant at) {
        recordActionSeqNo(agentId, seqNo, at);
        return CompletableFuture.completedFuture(null);
    }

    /** Moves the agent to another policy; its acknowledged revision starts over. */
    void assignPolicy(String agentId, String policyId, Instant at);

    /** Marks the agent inactive; with {@code invalidateKeys} its access key stops working too. */
    void deactivateAgent(String agentId, boolean invalidateKeys, Instant at);

    /** Records an audit-unenroll reason; false when one is already set. */
    boolean setAuditUnenroll(String agentId, String reason, Instant at);

    // ---- actions

    /** Stores an action and returns it with its sequence number. */
    ActionRecord addAction(ActionRecord action);

    Optional<ActionRecord> findAction(String actionId);

    /**
     * Actions for the agent with a sequence number above {@code afterSeq}, not expired at {@code now} and without a
     * result from this agent, oldest first.
     */
    List<ActionRecord> pendingActions(String agentId, long afterSeq, Instant now);

    void addActionResults(List<ActionResult> results);

    /** {@link #addActionResults}, completing once durable (see {@link #enrollAgentAsync}). */
    default CompletionStage<Void> addActionResultsAsync(List<ActionResult> results) {
        addActionResults(results);
        return CompletableFuture.completedFuture(null);
    }

    List<ActionResult> actionResults(String actionId);

    // ---- settings

    Optional<String> setting(String key);

    void putSetting(String key, String value);

    // ---- change feed and health

    /** The cursor at the current end of the feed (a server starts watching from here). */
    StoreCursor currentCursor();

    /** Policy revisions and actions written after {@code cursor}, at most {@code max} of each. */
    StoreChanges changesSince(StoreCursor cursor, int max);

    /** Throws {@link StoreException} when the store cannot be used. */
    void ping();

    /** A short description for logs, e.g. the database path. */
    String describe();

    @Override
    void close();
}
