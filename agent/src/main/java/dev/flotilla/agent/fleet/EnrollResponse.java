package dev.flotilla.agent.fleet;

import java.util.List;

/** What Fleet Server gives an enrolled agent. {@code accessApiKey} is the base64 "id:key" for the ApiKey header. */
public record EnrollResponse(String agentId, String policyId, String accessApiKeyId, String accessApiKey,
                             List<String> tags, String enrolledAt) {
    @Override
    public String toString() {
        return "EnrollResponse[agentId=" + agentId + ", policyId=" + policyId + ", accessApiKey=<redacted>]";
    }
}
