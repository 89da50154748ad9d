package dev.flotilla.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.http.ReadPause;
import dev.flotilla.server.store.AgentCore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LongPollHubTest {
    @Test
    void wakesOnlyTheWaitersAChangeConcerns() throws Exception {
        LongPollHub hub = new LongPollHub();
        var a = hub.register("a", "p1").await(Duration.ofMinutes(1));
        var b = hub.register("b", "p2").await(Duration.ofMinutes(1));
        assertThat(hub.waiting()).isEqualTo(2);
        hub.policyChanged("p1");
        assertThat(a.get()).isEqualTo(LongPollHub.Wake.POLICY);
        assertThat(b).isNotDone();
        hub.actionsFor(List.of("zzz"));
        assertThat(b).isNotDone();
        hub.actionsFor(List.of("b"));
        assertThat(b.get()).isEqualTo(LongPollHub.Wake.ACTION);
        assertThat(hub.waiting()).isZero();
        var c = hub.register("c", "p1").await(Duration.ofMillis(50));
        assertThat(c.get()).isEqualTo(LongPollHub.Wake.TIMEOUT);
        var d = hub.register("d", "p3").await(Duration.ofMinutes(1));
        hub.wakeAll();
        assertThat(d.get()).isEqualTo(LongPollHub.Wake.SHUTDOWN);
        assertThat(hub.waiting()).isZero();
    }

    @Test
    void severalWaitersOfOneAgentAreWokenTogetherAndLeaveOneByOne() throws Exception {
        LongPollHub hub = new LongPollHub();
        LongPollHub.Waiter first = hub.register("a", "p1");
        var firstWake = first.await(Duration.ofMinutes(1));
        var second = hub.register("a", "p1").await(Duration.ofMinutes(1));
        var third = hub.register("a", "p1").await(Duration.ofMinutes(1));
        var other = hub.register("b", "p1").await(Duration.ofMinutes(1));
        assertThat(hub.waiting()).isEqualTo(4);
        first.cancel(); // the agent's first connection went away
        assertThat(firstWake.get()).isEqualTo(LongPollHub.Wake.TIMEOUT);
        assertThat(hub.waiting()).isEqualTo(3);
        hub.actionsFor(List.of("a"));
        assertThat(second.get()).isEqualTo(LongPollHub.Wake.ACTION);
        assertThat(third.get()).isEqualTo(LongPollHub.Wake.ACTION);
        assertThat(other).isNotDone();
        assertThat(hub.waiting()).isEqualTo(1);
        hub.policyChanged("p1");
        assertThat(other.get()).isEqualTo(LongPollHub.Wake.POLICY);
        assertThat(hub.waiting()).isZero();
    }

    @Test
    void aPolicyChangeReadsTheWokenAgentsInChunksBeforeWakingThem() throws Exception {
        List<List<String>> reads = new ArrayList<>();
        LongPollHub hub = new LongPollHub(new ReadPause(), ids -> {
            reads.add(List.copyOf(ids));
            Map<String, AgentCore> found = new HashMap<>();
            ids.stream().filter(id -> !id.equals("gone"))
                    .forEach(id -> found.put(id, new AgentCore(id, true, "p1", "key-" + id, 1, -1)));
            return found;
        }, Runnable::run);
        int many = LongPollHub.PREFETCH_CHUNK + 7;
        List<LongPollHub.Waiter> waiters = new ArrayList<>();
        for (int i = 0; i < many; i++) {
            waiters.add(hub.register("agent-" + i, "p1"));
        }
        LongPollHub.Waiter gone = hub.register("gone", "p1");
        LongPollHub.Waiter otherPolicy = hub.register("other", "p2");
        var wakes = waiters.stream().map(w -> w.await(Duration.ofMinutes(1))).toList();
        var goneWake = gone.await(Duration.ofMinutes(1));
        otherPolicy.await(Duration.ofMinutes(1));

        hub.policyChanged("p1");

        assertThat(reads).hasSize(2); // 508 woken: one read of 500, one of 8
        assertThat(reads.get(0)).hasSize(LongPollHub.PREFETCH_CHUNK);
        assertThat(reads.stream().flatMap(List::stream)).doesNotContain("other").contains("gone", "agent-0");
        for (int i = 0; i < many; i++) {
            assertThat(wakes.get(i).get()).isEqualTo(LongPollHub.Wake.POLICY);
            assertThat(waiters.get(i).prefetched()).contains(new AgentCore("agent-" + i, true, "p1",
                    "key-agent-" + i, 1, -1));
        }
        assertThat(goneWake.get()).isEqualTo(LongPollHub.Wake.POLICY);
        assertThat(gone.prefetched()).isEqualTo(Optional.empty()); // read, and not there: the answer says so
        assertThat(otherPolicy.prefetched()).isNull();
        assertThat(hub.waiting()).isEqualTo(1);
    }

    @Test
    void whenTheBatchReadFailsTheWokenCheckinsReadTheirOwnAgents() throws Exception {
        LongPollHub hub = new LongPollHub(new ReadPause(), ids -> {
            throw new IllegalStateException("store down");
        }, Runnable::run);
        LongPollHub.Waiter w = hub.register("a", "p1");
        var wake = w.await(Duration.ofMinutes(1));
        hub.policyChanged("p1");
        assertThat(wake.get()).isEqualTo(LongPollHub.Wake.POLICY);
        assertThat(w.prefetched()).isNull();
    }
}
