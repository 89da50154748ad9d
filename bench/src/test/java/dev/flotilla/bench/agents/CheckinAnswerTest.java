package dev.flotilla.bench.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CheckinAnswerTest {
    /** A check-in answer as the server writes it: the POLICY_CHANGE's id, type and revision first, a long policy. */
    private static String answer(int inputs) {
        StringBuilder sb = new StringBuilder("{\"action\":\"checkin\",\"actions\":[{\"id\":\"policy:p:7\",\"agent_id\":\"a1\","
                + "\"type\":\"POLICY_CHANGE\",\"created_at\":\"2026-12-07T00:00:00.000Z\",\"data\":{\"policy\":{\"id\":\"p\","
                + "\"revision\":7,\"inputs\":[");
        for (int i = 0; i < inputs; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"in-").append(i).append("\",\"streams\":[{\"period\":\"10s\"}]}");
        }
        return sb.append("]}},\"input_type\":\"\"}],\"ack_token\":\"tok-9\"}").toString();
    }

    private static ByteBuf gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return Unpooled.wrappedBuffer(out.toByteArray());
    }

    private static ByteBuf plain(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHeadReadOfALongAnswerFindsThePolicyChangeButNotTheAckToken() throws IOException {
        String body = answer(400); // ~17 KB: the head read stops long before the end
        for (boolean gz : new boolean[] {true, false}) {
            CheckinAnswer head = CheckinAnswer.head(gz ? gzip(body) : plain(body), gz);
            assertThat(head.actions()).containsExactly(new CheckinAnswer.Action("policy:p:7", "POLICY_CHANGE", 7));
            assertThat(head.ackToken()).isNull();
            CheckinAnswer full = CheckinAnswer.full(gz ? gzip(body) : plain(body), gz);
            assertThat(full.actions()).isEqualTo(head.actions());
            assertThat(full.ackToken()).isEqualTo("tok-9");
        }
    }

    @Test
    void aShortAnswerIsReadWholeEvenByAHeadRead() throws IOException {
        String body = answer(3);
        CheckinAnswer head = CheckinAnswer.head(gzip(body), true);
        assertThat(head.ackToken()).isEqualTo("tok-9");
        assertThat(head.actions()).hasSize(1);
        CheckinAnswer none = CheckinAnswer.head(plain("{\"action\":\"checkin\",\"actions\":[],\"ack_token\":\"\"}"), false);
        assertThat(none.actions()).isEmpty();
        assertThat(none.ackToken()).isEmpty();
    }

    @Test
    void aCutOrCorruptGzipBodyIsAnError() throws IOException {
        ByteBuf good = gzip(answer(400));
        byte[] bytes = new byte[good.readableBytes()];
        good.readBytes(bytes);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 6); // trailer gone
        assertThatThrownBy(() -> CheckinAnswer.full(Unpooled.wrappedBuffer(cut), true)).isInstanceOf(IOException.class);
        byte[] badCrc = bytes.clone();
        badCrc[badCrc.length - 8] ^= 1;
        assertThatThrownBy(() -> CheckinAnswer.full(Unpooled.wrappedBuffer(badCrc), true))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CheckinAnswer.head(plain("{\"not\":\"gzip\"}"), true)).isInstanceOf(IOException.class)
                .hasMessageContaining("no gzip header");
    }
}
