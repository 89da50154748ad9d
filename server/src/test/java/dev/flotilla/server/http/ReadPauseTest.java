package dev.flotilla.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadPauseTest {

    @Test
    void answeredConnectionsReadAgainOnceTheLastPendingAnswerIsBuilt() {
        ReadPause pause = new ReadPause();
        EmbeddedChannel idle = new EmbeddedChannel();
        pause.afterResponse(idle);
        assertThat(idle.config().isAutoRead()).as("nothing pending: reading goes on").isTrue();

        pause.expect();
        pause.expect();
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        pause.afterResponse(first);
        pause.answered();
        pause.afterResponse(second);
        assertThat(first.config().isAutoRead()).isFalse();
        assertThat(second.config().isAutoRead()).isFalse();
        assertThat(pause.paused()).isEqualTo(2);

        pause.answered();
        assertThat(first.config().isAutoRead()).isTrue();
        assertThat(second.config().isAutoRead()).isTrue();
        assertThat(pause.paused()).isZero();
        assertThat(pause.pending()).isZero();
        pause.answered(); // more answers than expected never go below zero
        assertThat(pause.pending()).isZero();
    }

    @Test
    void aBurstWhoseAnswersNeverAllComeResumesAfterTheLongestHold() {
        ReadPause pause = new ReadPause();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        pause.expect();
        pause.expect();
        pause.afterResponse(ch);
        pause.answered(); // one answer never comes
        ch.advanceTimeBy(ReadPause.MAX.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(pause.pending()).as("the burst's count starts over").isZero();

        pause.afterResponse(ch);
        assertThat(ch.config().isAutoRead()).isTrue();
    }
}
