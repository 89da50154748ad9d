package dev.flotilla.agent.input;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Builds the JSON documents the agent ships: ECS-style fields, {@code data_stream} naming the target. */
public final class Events {
    static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    public static ObjectNode base(String type, String dataset, String namespace, String agentId) {
        ObjectNode e = JSON.createObjectNode();
        e.put("@timestamp", Instant.now().toString());
        ObjectNode ds = e.putObject("data_stream");
        ds.put("type", type);
        ds.put("dataset", dataset);
        ds.put("namespace", namespace);
        e.putObject("event").put("dataset", dataset);
        ObjectNode agent = e.putObject("agent");
        agent.put("id", agentId);
        agent.put("type", "flotilla-agent");
        e.putObject("elastic_agent").put("id", agentId);
        return e;
    }

    public static byte[] bytes(ObjectNode e) {
        try {
            return JSON.writeValueAsBytes(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
