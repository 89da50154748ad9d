package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.store.FakeFleetStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server needs nothing but the {@code FleetStore} interface: the same flow on the in-memory fake. */
@Timeout(60)
class FakeStoreServerTest {
    @TempDir
    Path dir;

    @Test
    void enrollCheckinAckOnASuppliedStoreWhichTheServerDoesNotClose() {
        FakeFleetStore store = new FakeFleetStore();
        try (TestFleet fleet = TestFleet.plain(dir, b -> b.store(store).dataDir(null))) {
            TestFleet.Agent agent = fleet.enroll();
            ApiClient.Reply r = fleet.client.checkin(agent.id(), agent.key(), ApiClient.checkinBody(null));
            assertThat(r.json().path("actions").get(0).path("id").asText()).isEqualTo("policy:test-policy:1");
            assertThat(fleet.client.ack(agent.id(), agent.key(), "policy:test-policy:1").status()).isEqualTo(200);
        }
        assertThat(store.listAgents()).hasSize(1);
        assertThat(store.listAgents().get(0).policyRevision()).isEqualTo(1);
    }
}
