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
        pause.afterResponse(idle, null);
        assertThat(idle.config().isAutoRead()).as("nothing pending: reading goes on").isTrue();

        pause.expect();
        pause.expect();
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        ApiResponse firstAnswer = ApiResponse.json(200, Json.object());
        ApiResponse secondAnswer = ApiResponse.json(200, Json.object());
        pause.owe(firstAnswer);
        pause.owe(secondAnswer);
        pause.afterResponse(first, firstAnswer); // one answer written, one still owed
        EmbeddedChannel other = new EmbeddedChannel();
        pause.afterResponse(other, ApiResponse.json(200, Json.object())); // not an owed answer: counts nothing
        assertThat(pause.pending()).isEqualTo(1);
        assertThat(first.config().isAutoRead()).isFalse();
        assertThat(other.config().isAutoRead()).isFalse();
        assertThat(pause.paused()).isEqualTo(2);

        pause.afterResponse(second, secondAnswer); // the last owed answer: everyone reads again
        assertThat(first.config().isAutoRead()).isTrue();
        assertThat(other.config().isAutoRead()).isTrue();
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
        pause.afterResponse(ch, null);
        pause.answered(); // one answer never comes
        ch.advanceTimeBy(ReadPause.MAX.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(pause.pending()).as("the burst's count starts over").isZero();

        pause.afterResponse(ch, null);
        assertThat(ch.config().isAutoRead()).isTrue();
    }
}
