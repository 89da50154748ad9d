package dev.flotilla.server.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.ActionRecord;

/** A stored action as one agent receives it in a check-in response. */
public final class ActionJson {
    private ActionJson() {
    }

    public static ObjectNode forAgent(ActionRecord action, String agentId) {
        ObjectNode node = Json.object();
        node.put("id", action.id());
        node.put("agent_id", agentId);
        node.put("type", action.type());
        node.put("created_at", Json.time(action.createdAt()));
        if (action.data() != null) {
            node.set("data", Json.parseStored(action.data()));
        } else {
            node.putObject("data");
        }
        node.put("input_type", "");
        if (action.startTime() != null) {
            node.put("start_time", Json.time(action.startTime()));
        }
        if (action.expiration() != null) {
            node.put("expiration", Json.time(action.expiration()));
        }
        return node;
    }
}
