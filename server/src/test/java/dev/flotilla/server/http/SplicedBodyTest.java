package dev.flotilla.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplicedBodyTest {
    @TempDir
    Path dir;

    /** A JSON-ish text with repeats (so deflate finds matches) and some noise, about {@code n} bytes. */
    private static String policyLike(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("{\"policy\":{\"id\":\"p\",\"inputs\":[");
        while (sb.length() < n) {
            sb.append("{\"id\":\"system/metrics-").append(Long.toHexString(r.nextLong()))
                    .append("\",\"period\":\"10s\",\"processors\":[{\"add_fields\":{\"target\":\"\"}}]},");
        }
        sb.setLength(sb.length() - 1);
        return sb.append("]}}").toString();
    }

    private static ApiResponse answer(String agentId, SharedJson data, String tail) {
        ObjectNode out = Json.object().put("action", "checkin");
        ObjectNode action = out.putArray("actions").addObject().put("id", "policy:p:7").put("agent_id", agentId);
        action.putRawValue("data", new RawValue(data));
        out.put("ack_token", tail);
        return ApiResponse.json(200, out);
    }

    private static byte[] bytes(io.netty.buffer.ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** The real gzip tool decodes it (and checks CRC and length): a peer that is not the JDK. */
    private byte[] gzipTool(byte[] gz) throws Exception {
        Path f = Files.write(dir.resolve("body.gz"), gz);
        Process p = new ProcessBuilder("gzip", "-dc", f.toString()).redirectError(dir.resolve("gzip.err").toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("gzip.err"))).isZero();
        return out;
    }

    @Test
    void aSplicedBodyIsTheSameJsonAsTheMapperWrites() throws Exception {
        SharedJson data = new SharedJson(policyLike(12_000, 1));
        ApiResponse r = answer("agent-1", data, "tok");
        ObjectNode plain = Json.object().put("action", "checkin");
        plain.putArray("actions").addObject().put("id", "policy:p:7").put("agent_id", "agent-1")
                .set("data", Json.parseStored(data.toString()));
        plain.put("ack_token", "tok");
        assertThat(r.body()).isEqualTo(Json.bytes(plain));
        assertThat(r.spliced()).isNotNull();
        assertThat(bytes(r.spliced().plain())).isEqualTo(r.body());
        assertThat(r.length()).isEqualTo(r.body().length);
        // serialised anywhere else, the shared part is its text
        assertThat(Json.text(Json.object().putRawValue("d", new RawValue(data)))).isEqualTo("{\"d\":" + data + "}");
    }

    @Test
    void theGzipFormDecodesToTheBodyWithTheJdkAndTheGzipTool() throws Exception {
        SharedJson data = new SharedJson(policyLike(12_000, 2));
        for (String agent : new String[] {"a", "0b6e1c4e-5c59-4a83-9d62-3f8d2b1f2f4a"}) {
            ApiResponse r = answer(agent, data, "");
            byte[] gz = bytes(r.spliced().gzip());
            assertThat(gunzip(gz)).isEqualTo(r.body());
            assertThat(gzipTool(gz)).isEqualTo(r.body());
            assertThat(gz.length).as("compressed").isLessThan(r.body().length / 3);
        }
    }

    @Test
    void storedPartsLongerThanOneBlockAndEmptyOnes() throws Exception {
        SharedJson data = new SharedJson(policyLike(3_000, 3));
        String big = "x".repeat(70_000) + "é"; // more than one stored block (65,535 bytes), not all ASCII
        ApiResponse r = answer(big, data, big);
        byte[] gz = bytes(r.spliced().gzip());
        assertThat(gunzip(gz)).isEqualTo(r.body());
        assertThat(gzipTool(gz)).isEqualTo(r.body());

        // nothing around the shared part: empty stored blocks before and after
        ApiResponse alone = ApiResponse.json(200, new RawValue(data));
        assertThat(new String(alone.body(), StandardCharsets.UTF_8)).isEqualTo(data.toString());
        assertThat(gzipTool(bytes(alone.spliced().gzip()))).isEqualTo(alone.body());
    }

    @Test
    void onlyTheFirstSharedPartIsSplicedASecondIsText() throws Exception {
        SharedJson one = new SharedJson(policyLike(2_000, 4));
        SharedJson two = new SharedJson(policyLike(2_000, 5));
        ObjectNode node = Json.object();
        node.putRawValue("one", new RawValue(one));
        node.putRawValue("two", new RawValue(two));
        ApiResponse r = ApiResponse.json(200, node);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"one\":" + one + ",\"two\":" + two + "}");
        assertThat(gzipTool(bytes(r.spliced().gzip()))).isEqualTo(r.body());
    }

    @Test
    void aBodyWithoutSharedPartsHasNoSplice() {
        ApiResponse r = ApiResponse.json(200, Json.object().put("a", "\u0000 in a string is escaped"));
        assertThat(r.spliced()).isNull();
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\\u0000");
    }

    @Test
    void acceptEncodingIsReadWithWeights() {
        assertThat(AcceptEncoding.allowsGzip("gzip")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("deflate, gzip;q=0.5")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("GZIP")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("x-gzip")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("*")).isTrue();
        assertThat(AcceptEncoding.allowsGzip("gzip;q=0")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("*, gzip;q=0")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("br, deflate")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("identity")).isFalse();
        assertThat(AcceptEncoding.allowsGzip("")).isFalse();
        assertThat(AcceptEncoding.allowsGzip(null)).isFalse();
        assertThat(AcceptEncoding.allowsGzip("gzip;q=abc")).isFalse();
    }
}
