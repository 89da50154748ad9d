package dev.flotilla.agent.output;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.checkin.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drains the {@link DiskQueue} into the current output: reads a batch after the acked offset, sends it with
 * {@code _bulk}, acks the queue only after Elasticsearch took it. While no output is configured or the output
 * fails, events stay on disk and the shipper backs off.
 */
public final class Shipper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    private static final int BATCH = 500;

    private final DiskQueue queue;
    private final AtomicReference<ElasticsearchOutput> output = new AtomicReference<>();
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    public Shipper(DiskQueue queue) {
        this.queue = queue;
    }

    /** Sends to {@code next} from now on (null: hold events until an output is configured). */
    public void setOutput(ElasticsearchOutput next) {
        output.set(next);
        synchronized (queue) {
            queue.notifyAll();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                ElasticsearchOutput out = output.get();
                if (out == null) {
                    queue.awaitPending(1000);
                    if (output.get() == null) {
                        Thread.sleep(200);
                    }
                    continue;
                }
                List<DiskQueue.Entry> batch = queue.readUnacked(BATCH);
                if (batch.isEmpty()) {
                    queue.awaitPending(1000);
                    continue;
                }
                BulkResult r = out.send(batch.stream().map(DiskQueue.Entry::bytes).toList());
                if (r.dropped() > 0) {
                    LOG.warn("{} dropped {} events it will never accept: {}", out.settings().hop(), r.dropped(), r.firstDropReason());
                }
                queue.ack(batch.get(batch.size() - 1).offset());
                shipped.addAndGet(r.accepted());
                lastError.set(null);
                backoff.reset();
            } catch (AgentException e) {
                lastError.set(e.getMessage());
                Duration wait = backoff.next();
                LOG.warn("output: {} (events stay queued; retrying in {} ms)", e.getMessage(), wait.toMillis());
                sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public void stop() {
        running = false;
    }

    public long shipped() {
        return shipped.get();
    }

    public String lastError() {
        return lastError.get();
    }
}
