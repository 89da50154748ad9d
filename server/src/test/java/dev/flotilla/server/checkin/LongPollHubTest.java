package dev.flotilla.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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
}
