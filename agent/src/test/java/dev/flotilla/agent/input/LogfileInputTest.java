package dev.flotilla.agent.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.output.DiskQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogfileInputTest {
    @TempDir
    Path dir;

    @Test
    void readsCompleteLinesOnceAndContinuesAfterRestart() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "first\nsecond\npart");
        Map<String, Object> policy = Map.of("inputs", List.of(Map.of("type", "logfile", "use_output", "default",
                "data_stream", Map.of("namespace", "prod"),
                "streams", List.of(Map.of("paths", List.of(dir.resolve("*.log").toString()),
                        "data_stream", Map.of("dataset", "app"))))));
        List<LogfileSpec> specs = LogfileSpec.fromPolicy(policy);
        assertThat(specs).hasSize(1);
        try (DiskQueue q = new DiskQueue(dir.resolve("queue"))) {
            LogfileInput in = new LogfileInput(name -> q, dir.resolve("registry.json"), "agent-1");
            in.configure(specs);
            assertThat(in.poll()).isEqualTo(2);
            assertThat(in.poll()).isZero();
            JsonNode e = new ObjectMapper().readTree(q.readUnacked(10).get(1).bytes());
            assertThat(e.path("message").asText()).isEqualTo("second");
            assertThat(e.path("data_stream").path("dataset").asText()).isEqualTo("app");
            assertThat(e.path("data_stream").path("namespace").asText()).isEqualTo("prod");
            assertThat(e.path("log").path("offset").asLong()).isEqualTo(6);
        }
        Files.writeString(log, "ial\nthird\n", StandardOpenOption.APPEND);
        try (DiskQueue q = new DiskQueue(dir.resolve("queue"))) {
            LogfileInput in = new LogfileInput(name -> q, dir.resolve("registry.json"), "agent-1");
            in.configure(specs);
            assertThat(in.poll()).isEqualTo(2);
            List<String> msgs = q.readUnacked(10).stream().map(x -> {
                try {
                    return new ObjectMapper().readTree(x.bytes()).path("message").asText();
                } catch (java.io.IOException ex) {
                    throw new RuntimeException(ex);
                }
            }).toList();
            assertThat(msgs).containsExactly("first", "second", "partial", "third");
        }
        Files.writeString(log, "new\n");  // truncated (rotated in place): read from the start
        try (DiskQueue q = new DiskQueue(dir.resolve("queue"))) {
            LogfileInput in = new LogfileInput(name -> q, dir.resolve("registry.json"), "agent-1");
            in.configure(specs);
            assertThat(in.poll()).isEqualTo(1);
        }
    }
}
