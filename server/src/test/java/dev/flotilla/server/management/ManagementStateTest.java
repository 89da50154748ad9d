package dev.flotilla.server.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.server.store.FakeFleetStore;
import dev.flotilla.server.store.StoreException;
import org.junit.jupiter.api.Test;

/** A change is all or nothing: one that fails half-way leaves no policy defined without a revision. */
class ManagementStateTest {
    private final FakeFleetStore store = new FakeFleetStore();
    private final ManagementState state = new ManagementState(store, new Policies(store, () -> { }),
            SecretBox.of(new byte[32]));

    private Object create(String id) {
        return state.change(() -> {
            ObjectNode def = Json.object().put("id", id).put("name", id).put("namespace", "default");
            def.putArray("inputs");
            def.putArray("monitoring_enabled");
            state.agentPolicies.put(def);
            return def;
        });
    }

    @Test
    void aPolicyWhoseFirstRevisionCannotBeWrittenIsNotLeftDefined() {
        create("p1");
        assertThat(store.latestPolicy("p1")).isPresent();
        String definitions = store.setting(ManagementState.POLICIES).orElseThrow();

        store.failNextPolicyWrite(new StoreException("disk full"));
        assertThatThrownBy(() -> create("p2")).hasMessageContaining("disk full");
        assertThat(state.policyDefinition("p2")).as("no definition without a revision").isEmpty();
        assertThat(store.latestPolicy("p2")).isEmpty();
        assertThat(store.setting(ManagementState.POLICIES)).contains(definitions);
        assertThat(state.policyDefinition("p1")).as("the others stay").isPresent();

        // an Error half-way through (a class that cannot load from a jar rebuilt under the server) is put back too
        assertThatThrownBy(() -> state.change(() -> {
            state.agentPolicies.put(Json.object().put("id", "p3").put("name", "p3"));
            throw new NoClassDefFoundError("dev/flotilla/Gone");
        })).isInstanceOf(NoClassDefFoundError.class);
        assertThat(state.policyDefinition("p3")).isEmpty();

        create("p2");
        assertThat(store.latestPolicy("p2")).as("the same create works once the store does").isPresent();
    }
}
