package dev.flotilla.agent.output;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DiskQueueTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<DiskQueue.Entry> es) {
        return es.stream().map(e -> new String(e.bytes(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void appendReadAckSurviveReopen() {
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThat(q.append(List.of(b("a"), b("b"), b("c")))).isEqualTo(2);
            assertThat(texts(q.readUnacked(10))).containsExactly("a", "b", "c");
            q.ack(0);
            assertThat(q.pending()).isEqualTo(2);
        }
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThat(texts(q.readUnacked(10))).containsExactly("b", "c");
            assertThat(q.readUnacked(10).get(0).offset()).isEqualTo(1);
            assertThat(q.append(List.of(b("d")))).isEqualTo(3);
            q.ack(3);
            assertThat(q.readUnacked(10)).isEmpty();
        }
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThat(q.pending()).isZero();
            assertThat(q.append(List.of(b("e")))).isEqualTo(4);
        }
    }

    @Test
    void tornTailIsCutButEarlierEventsStay() throws Exception {
        try (DiskQueue q = new DiskQueue(dir)) {
            q.append(List.of(b("one"), b("two")));
        }
        Path seg;
        try (Stream<Path> s = Files.list(dir)) {
            seg = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 50, 1, 2}));  // half a record, as a crash leaves it
        }
        try (DiskQueue q = new DiskQueue(dir)) {
            assertThat(texts(q.readUnacked(10))).containsExactly("one", "two");
            assertThat(q.append(List.of(b("three")))).isEqualTo(2);
            assertThat(texts(q.readUnacked(10))).containsExactly("one", "two", "three");
        }
    }

    @Test
    void rollsSegmentsAndDeletesAckedOnes() throws Exception {
        byte[] big = new byte[1 << 20];
        try (DiskQueue q = new DiskQueue(dir)) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(big);
            }
            q.append(batch);
            assertThat(segments()).isGreaterThan(1);
            q.ack(9);
            assertThat(segments()).isEqualTo(1);
            assertThat(q.pending()).isZero();
        }
    }

    @Test
    void fullQueueAsksProducersToWaitUntilAcked() {
        try (DiskQueue q = new DiskQueue(dir, 100)) {
            q.append(List.of(new byte[60]));
            assertThat(q.isFull()).isFalse();
            long last = q.append(List.of(new byte[60]));
            assertThat(q.isFull()).isTrue();
            assertThat(q.bytesOnDisk()).isEqualTo(136);
            q.append(List.of(new byte[8 << 20]));
            q.ack(last + 1);
            assertThat(q.isFull()).isFalse();
        }
        try (DiskQueue q = new DiskQueue(dir, 100)) {
            assertThat(q.bytesOnDisk()).isLessThan(100);
        }
    }

    private long segments() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }
}
