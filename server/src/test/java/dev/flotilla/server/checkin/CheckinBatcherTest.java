package dev.flotilla.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.CheckinUpdate;
import dev.flotilla.server.store.FakeFleetStore;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.StoreException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class CheckinBatcherTest {

    @Test
    void aLargeFlushIsWrittenInChunksAndAFailedChunkWaitsForTheNextFlush() {
        FakeFleetStore fake = new FakeFleetStore();
        int agents = 2 * CheckinBatcher.CHUNK + 201;
        for (int i = 0; i < agents; i++) {
            fake.enrollAgent(AgentRecord.builder("a" + i, "p").accessApiKeyId("k" + i).build(),
                    new ApiKeyRecord("k" + i, new byte[] {1}, ApiKeyRecord.AGENT, "a" + i, true, Instant.now(), null));
        }
        List<Integer> chunks = new ArrayList<>();
        FleetStore store = (FleetStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {FleetStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recordCheckins")) {
                        chunks.add(((List<?>) args[0]).size());
                        if (chunks.size() == 2) {
                            throw new StoreException("disk full");
                        }
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (CheckinBatcher batcher = new CheckinBatcher(store, scheduler, Duration.ofHours(1))) {
            for (int i = 0; i < agents; i++) {
                batcher.record(new CheckinUpdate("a" + i, Instant.now(), "degraded", "m" + i, null, null));
            }
            assertThatThrownBy(batcher::flush).hasMessageContaining("disk full");
            assertThat(chunks).containsExactly(CheckinBatcher.CHUNK, CheckinBatcher.CHUNK);
            assertThat(checkedIn(fake)).isEqualTo(CheckinBatcher.CHUNK); // the first chunk is written, not lost

            batcher.flush(); // the failed chunk and the one after it, nothing twice
            assertThat(chunks).containsExactly(CheckinBatcher.CHUNK, CheckinBatcher.CHUNK, CheckinBatcher.CHUNK, 201);
            assertThat(checkedIn(fake)).isEqualTo(agents);
            assertThat(batcher.writes()).isEqualTo(3);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static long checkedIn(FakeFleetStore store) {
        return store.listAgents().stream().filter(a -> "degraded".equals(a.lastCheckinStatus())).count();
    }
}
