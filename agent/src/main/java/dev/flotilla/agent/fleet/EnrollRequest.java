package dev.flotilla.agent.fleet;

import java.util.List;
import java.util.Map;

/** An enrollment: optional requested id and replace token, tags, the agent's local metadata. */
public record EnrollRequest(String agentId, String replaceToken, List<String> tags, Map<String, Object> localMetadata) {
    public EnrollRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        localMetadata = localMetadata == null ? Map.of() : localMetadata;
    }

    @Override
    public String toString() {
        return "EnrollRequest[agentId=" + agentId + ", tags=" + tags + ", replaceToken=" + (replaceToken == null ? "none" : "<redacted>") + "]";
    }
}
