package dev.flotilla.agent.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** One action delivered by a check-in: {@code POLICY_CHANGE}, {@code UNENROLL}, {@code SETTINGS}, ... */
public record Action(String id, String type, String agentId, String createdAt, JsonNode data) {

    public Action {
        data = data == null ? NullNode.getInstance() : data;
    }

    static Action fromJson(JsonNode n) {
        return new Action(n.path("id").asText(), n.path("type").asText(), n.path("agent_id").asText(null),
                n.path("created_at").asText(null), n.get("data"));
    }
}
