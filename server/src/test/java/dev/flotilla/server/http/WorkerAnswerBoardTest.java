package dev.flotilla.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerAnswerBoardTest {
    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);

    private WorkerAnswerBoard board(int worker) {
        return WorkerAnswerBoard.open(dir.resolve(WorkerAnswerBoard.FILE_NAME), worker, 3_000, clock::get);
    }

    @Test
    void aWorkerSeesTheOthersBurstsButNotItsOwn() throws Exception {
        try (WorkerAnswerBoard zero = board(0); WorkerAnswerBoard one = board(1); WorkerAnswerBoard two = board(2)) {
            assertThat(zero.othersOwe()).isFalse();
            one.publish(16_000);
            assertThat(zero.othersOwe()).isTrue();
            assertThat(two.othersOwe()).isTrue();
            assertThat(one.othersOwe()).as("its own slot does not count").isFalse();
            one.publish(5);
            clock.addAndGet(2_999);
            assertThat(zero.othersOwe()).as("the burst's start is kept while it goes on").isTrue();
            one.publish(0);
            assertThat(zero.othersOwe()).isFalse();
        }
    }

    @Test
    void aBurstCountsForAtMostTheFreshTimeSoADeadWorkerHoldsNobodyBack() throws Exception {
        try (WorkerAnswerBoard zero = board(0); WorkerAnswerBoard one = board(1)) {
            one.publish(100); // and never publishes 0 (it died)
            clock.addAndGet(3_000);
            assertThat(zero.othersOwe()).isFalse();
        }
    }

    @Test
    void aRestartedWorkerClearsItsSlotAndClosingClearsItToo() throws Exception {
        WorkerAnswerBoard zero = board(0);
        WorkerAnswerBoard one = board(1);
        one.publish(100);
        WorkerAnswerBoard oneAgain = board(1); // started again after a crash, same slot
        assertThat(zero.othersOwe()).isFalse();
        oneAgain.publish(7);
        assertThat(zero.othersOwe()).isTrue();
        oneAgain.close();
        assertThat(zero.othersOwe()).isFalse();
        zero.close();
        one.close();
    }

    @Test
    void aWorkerNumberOutsideTheBoardIsAnError() {
        assertThatThrownBy(() -> board(WorkerAnswerBoard.SLOTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worker 256");
    }

    @Test
    void aDoneWorkerKeepsItsConnectionsPausedWhileAnotherWorkerStillOwesAnswers() throws Exception {
        try (WorkerAnswerBoard zero = board(0); WorkerAnswerBoard one = board(1)) {
            ReadPause first = new ReadPause(zero);
            ReadPause second = new ReadPause(one);
            EmbeddedChannel a = new EmbeddedChannel();
            a.freezeTime();
            first.expect();
            second.expect();
            second.expect();
            ApiResponse answer = ApiResponse.json(200, Json.object());
            first.owe(answer);
            first.afterResponse(a, answer); // worker 0's only answer: done, but worker 1 owes two
            assertThat(first.pending()).isZero();
            assertThat(a.config().isAutoRead()).as("held while worker 1 answers").isFalse();
            EmbeddedChannel late = new EmbeddedChannel();
            first.afterResponse(late, null); // answered meanwhile: held too
            assertThat(late.config().isAutoRead()).isFalse();

            second.answered();
            a.advanceTimeBy(ReadPause.PEER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            a.runScheduledPendingTasks();
            assertThat(a.config().isAutoRead()).isFalse();
            second.answered(); // worker 1 done: worker 0 reads again at its next look
            a.advanceTimeBy(ReadPause.PEER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            a.runScheduledPendingTasks();
            assertThat(a.config().isAutoRead()).isTrue();
            assertThat(late.config().isAutoRead()).isTrue();
            assertThat(first.paused()).isZero();

            EmbeddedChannel after = new EmbeddedChannel();
            first.afterResponse(after, null);
            assertThat(after.config().isAutoRead()).as("no burst anywhere: reading goes on").isTrue();
        }
    }

    @Test
    void anotherWorkersBurstHoldsConnectionsNoLongerThanTheLongestHold() throws Exception {
        try (WorkerAnswerBoard zero = board(0); WorkerAnswerBoard one = board(1)) {
            ReadPause first = new ReadPause(zero);
            new ReadPause(one).expect(); // worker 1 owes an answer that never comes
            EmbeddedChannel a = new EmbeddedChannel();
            a.freezeTime();
            first.expect();
            first.afterResponse(a, null);
            first.answered();
            assertThat(a.config().isAutoRead()).isFalse();
            a.advanceTimeBy(ReadPause.MAX.toMillis(), TimeUnit.MILLISECONDS);
            a.runScheduledPendingTasks();
            assertThat(a.config().isAutoRead()).isTrue();
        }
    }

    @Test
    void withoutABoardAWorkerReadsAgainAsSoonAsItsOwnAnswersAreWritten() {
        ReadPause alone = new ReadPause(null);
        EmbeddedChannel a = new EmbeddedChannel();
        alone.expect();
        alone.afterResponse(a, null);
        alone.answered();
        assertThat(a.config().isAutoRead()).isTrue();
    }
}
