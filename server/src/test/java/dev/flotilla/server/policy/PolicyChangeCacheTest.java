package dev.flotilla.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.PolicyRevision;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POLICY_CHANGE whose policy part is serialised once per revision and spliced in: byte for byte the response
 * of the tree built from scratch, for every agent, and rebuilt when the revision or the fleet.hosts setting changes.
 */
class PolicyChangeCacheTest {

    @TempDir
    Path tmp;

    private static String json(ObjectNode action) {
        ObjectNode response = Json.object().put("action", "checkin").put("ack_token", "");
        response.putArray("actions").add(action);
        return Json.text(response);
    }

    @Test
    void splicedBodyIsIdenticalToTheTreeForEveryAgentAndRevision() {
        try (SqliteFleetStore store = SqliteFleetStore.open(tmp.resolve("fleet.db"))) {
            PolicyChangeBuilder builder = new PolicyChangeBuilder(store);
            PolicyRevision r1 = store.putPolicy("p1", Json.text(Policies.starter(List.of("https://fleet.one:8220"),
                    "https://es:9200")));
            for (String id : List.of("agent-a", "agent-b", "agent-\"quoted\"")) {
                String cached = json(builder.build(id, r1));
                assertThat(cached).isEqualTo(json(builder.buildTree(id, r1)));
                JsonNode parsed = Json.parseStored(cached).path("actions").get(0);
                assertThat(parsed.path("agent_id").asText()).isEqualTo(id);
                assertThat(parsed.path("id").asText()).isEqualTo("policy:p1:1");
                assertThat(parsed.path("data").path("policy").path("revision").asLong()).isEqualTo(1);
                assertThat(parsed.path("data").path("policy").path("fleet").path("hosts").get(0).asText())
                        .isEqualTo("https://fleet.one:8220");
            }
            ObjectNode changed = Policies.starter(List.of("https://fleet.two:8220"), "https://es:9200");
            PolicyRevision r2 = store.putPolicy("p1", Json.text(changed));
            String second = json(builder.build("agent-a", r2));
            assertThat(second).isEqualTo(json(builder.buildTree("agent-a", r2)))
                    .contains("policy:p1:2").contains("fleet.two").doesNotContain("fleet.one");
            // an older revision handed to a slow check-in is still built from its own data, not the cached one
            assertThat(json(builder.build("agent-a", r1))).isEqualTo(json(builder.buildTree("agent-a", r1)))
                    .contains("fleet.one");
        }
    }

    @Test
    void aPolicyWithoutFleetHostsFollowsTheServerSetting() {
        try (SqliteFleetStore store = SqliteFleetStore.open(tmp.resolve("fleet.db"))) {
            PolicyChangeBuilder builder = new PolicyChangeBuilder(store);
            ObjectNode doc = Json.object();
            doc.putObject("outputs").putObject("default").put("type", "elasticsearch");
            PolicyRevision r1 = store.putPolicy("p1", Json.text(doc));
            String none = json(builder.build("a", r1));
            assertThat(none).isEqualTo(json(builder.buildTree("a", r1))).doesNotContain("hosts");

            store.putSetting(PolicyChangeBuilder.FLEET_HOSTS_SETTING, "[\"https://set.example:8220\"]");
            String withSetting = json(builder.build("a", r1));
            assertThat(withSetting).isEqualTo(json(builder.buildTree("a", r1))).contains("set.example");

            store.putSetting(PolicyChangeBuilder.FLEET_HOSTS_SETTING, "[\"https://moved.example:8220\"]");
            assertThat(json(builder.build("a", r1))).contains("moved.example").doesNotContain("set.example");
        }
    }
}
