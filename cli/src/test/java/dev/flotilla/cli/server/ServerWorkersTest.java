package dev.flotilla.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.cli.Flotilla;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla server --workers 2} as a real process tree: connections land on both workers (they share the port
 * through SO_REUSEPORT), a policy change made through the management API (worker 0) reaches agents long-polling
 * on either worker (the store's change feed), a worker killed with SIGKILL is started again and its agents get
 * back in, SIGTERM to the supervisor stops every worker, and a worker that cannot start stops the whole server
 * with its error.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ServerWorkersTest {
    private static final long DEADLINE_MS = 90_000;
    private static final Pattern STARTED = Pattern.compile("Fleet Server worker (\\d+) started \\(pid (\\d+)\\)");

    @TempDir
    Path dir;

    @Test
    void workersShareThePortAndThePolicyAndComeBackAfterAKill() throws Exception {
        Path data = dir.resolve("data");
        try (Tree tree = Tree.start(dir, "server", "--workers", "2", "--fleet-server-port", "0",
                "--fleet-server-insecure-http", "--data-dir", data.toString())) {
            String ready = tree.awaitLine(l -> l.startsWith("Fleet Server listening on http://127.0.0.1:"));
            assertThat(ready).contains("with 2 worker processes");
            int port = Integer.parseInt(ready.replaceAll(".*127\\.0\\.0\\.1:(\\d+) .*", "$1"));
            Map<Integer, Long> pids = tree.workerPids(2);
            assertThat(ProcessHandle.of(pids.get(0)).orElseThrow().parent().orElseThrow().pid())
                    .isEqualTo(tree.process.pid());

            // one kept-alive connection on each worker (the kernel picks the worker per connection)
            Map<Integer, RawHttp> onWorker = connectionsOnEachWorker(port, 2);

            String url = tree.awaitManagementUrl(data);
            String admin = Files.readString(data.resolve("admin.key")).strip();
            try (RawHttp mgmt = RawHttp.connectTo(url)) {
                assertThat(mgmt.post("/api/fleet/agent_policies", admin,
                        "{\"id\":\"p\",\"name\":\"Workers\"}").status()).isEqualTo(200);
                String token = mgmt.post("/api/fleet/enrollment_api_keys", admin, "{\"policy_id\":\"p\"}")
                        .json().path("item").path("api_key").asText();
                assertThat(mgmt.post("/api/fleet/enrollment_api_keys", "wrong-key", "{\"policy_id\":\"p\"}")
                        .status()).isEqualTo(401);

                Map<Integer, Agent> agents = new HashMap<>();
                Map<Integer, CompletableFuture<RawHttp.Reply>> polls = new HashMap<>();
                for (int w = 0; w < 2; w++) {
                    Agent a = Agent.enroll(onWorker.get(w), token, "host-on-worker-" + w);
                    long revision = a.takePolicy(onWorker.get(w));
                    assertThat(revision).isPositive();
                    agents.put(w, a);
                    polls.put(w, a.longPoll(onWorker.get(w)));
                }
                assertThat(polls.values()).noneMatch(CompletableFuture::isDone);

                assertThat(mgmt.send("PUT", "/api/fleet/agent_policies/p", admin,
                        "{\"description\":\"changed once for both workers\"}").status()).isEqualTo(200);
                for (int w = 0; w < 2; w++) {
                    RawHttp.Reply r = polls.get(w).get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(Agent.policyRevision(r.json())).as("worker %d's agent", w)
                            .isGreaterThan(agents.get(w).revision);
                    agents.get(w).ack(onWorker.get(w), r.json());
                }

                // SIGKILL worker 1: its connection drops, the supervisor starts it again, agents get back in
                CompletableFuture<RawHttp.Reply> poll1 = agents.get(1).longPoll(onWorker.get(1));
                ProcessHandle.of(pids.get(1)).orElseThrow().destroyForcibly();
                assertThrows(Exception.class, () -> poll1.get(DEADLINE_MS, TimeUnit.MILLISECONDS));
                long restarted = tree.awaitRestart(1, pids.get(1));
                assertThat(restarted).isNotEqualTo(pids.get(1));
                tree.awaitLine(l -> l.startsWith("[worker 1] Fleet Server listening on"), 2);
                Map<Integer, RawHttp> again = connectionsOnEachWorker(port, 2);
                RawHttp.Reply back = again.get(1).post("/api/fleet/agents/" + agents.get(1).id + "/checkin",
                        agents.get(1).key, "{\"status\":\"online\",\"message\":\"back\",\"poll_timeout\":\"1s\"}");
                assertThat(back.status()).isEqualTo(200);
                for (RawHttp c : again.values()) {
                    c.close();
                }
            }
            for (RawHttp c : onWorker.values()) {
                c.close();
            }

            // SIGTERM to the supervisor: every worker stops
            List<ProcessHandle> workers = tree.process.descendants().toList();
            assertThat(workers).hasSize(2);
            tree.process.toHandle().destroy(); // SIGTERM (Process.destroy() would close the output pipes too)
            assertThat(tree.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle w : workers) {
                assertThat(w.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
            }
            tree.drain();
            assertThat(tree.output()).contains("[worker 0] ").contains("[worker 1] ").contains("Fleet Server stopped");
        }
    }

    @Test
    void aWorkerThatCannotStartStopsTheServerWithItsError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Tree tree = Tree.start(dir, "server", "--workers", "2", "--fleet-server-port", "0",
                     "--fleet-server-insecure-http", "--data-dir", dir.resolve("data").toString(),
                     "--management-port", Integer.toString(taken.getLocalPort()))) {
            assertThat(tree.process.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(tree.process.exitValue()).isEqualTo(1);
            tree.drain();
            assertThat(tree.output()).contains("Fleet Server worker 0 did not start")
                    .contains(Integer.toString(taken.getLocalPort()))
                    .contains("Choose another with --management-port.")
                    .doesNotContain("--fleet-server-port.");
            assertThat(tree.process.descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        }
    }

    /** Opens connections until each of {@code workers} workers holds one; closes the extra ones. */
    private static Map<Integer, RawHttp> connectionsOnEachWorker(int port, int workers) throws Exception {
        Map<Integer, RawHttp> found = new HashMap<>();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        int tries = 0;
        while (found.size() < workers) {
            assertThat(System.currentTimeMillis()).as("connections landed only on workers %s after %d tries",
                    found.keySet(), tries).isLessThan(deadline);
            tries++;
            RawHttp c;
            try {
                c = new RawHttp(new Socket("127.0.0.1", port));
            } catch (IOException e) {
                continue; // a worker is still coming up
            }
            RawHttp.Reply status;
            try {
                status = c.get("/api/status");
            } catch (IOException e) {
                c.close();
                continue;
            }
            String worker = status.header("X-Flotilla-Worker");
            assertThat(worker).as("status answer names its worker: %s", status.headers()).isNotNull();
            if (found.putIfAbsent(Integer.parseInt(worker), c) != null) {
                c.close();
            }
        }
        return found;
    }

    /** A simulated agent speaking the agent API over a given connection. */
    private static final class Agent {
        final String id;
        final String key;
        long revision;
        String ackToken = "";

        private Agent(String id, String key) {
            this.id = id;
            this.key = key;
        }

        static Agent enroll(RawHttp c, String token, String host) throws IOException {
            RawHttp.Reply r = c.post("/api/fleet/agents/enroll", token, "{\"type\":\"PERMANENT\",\"metadata\":"
                    + "{\"local\":{\"host\":{\"hostname\":\"" + host + "\"}},\"user_provided\":{}}}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode item = r.json().path("item");
            return new Agent(item.path("id").asText(), item.path("access_api_key").asText());
        }

        /** First check-in: the policy comes at once; acks it. */
        long takePolicy(RawHttp c) throws IOException {
            RawHttp.Reply r = c.post("/api/fleet/agents/" + id + "/checkin", key,
                    "{\"status\":\"online\",\"message\":\"up\",\"poll_timeout\":\"2m\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            revision = policyRevision(r.json());
            ack(c, r.json());
            return revision;
        }

        void ack(RawHttp c, JsonNode checkin) throws IOException {
            ackToken = checkin.path("ack_token").asText("");
            StringBuilder events = new StringBuilder();
            for (JsonNode action : checkin.path("actions")) {
                events.append(events.length() == 0 ? "" : ",").append("{\"type\":\"ACTION_RESULT\",\"subtype\":"
                        + "\"ACKNOWLEDGED\",\"agent_id\":\"").append(id).append("\",\"action_id\":\"")
                        .append(action.path("id").asText()).append("\",\"message\":\"ok\"}");
            }
            assertThat(c.post("/api/fleet/agents/" + id + "/acks", key, "{\"events\":[" + events + "]}").status())
                    .isEqualTo(200);
            revision = Math.max(revision, policyRevision(checkin));
        }

        /** A long poll (2 min) on its own thread. */
        CompletableFuture<RawHttp.Reply> longPoll(RawHttp c) {
            String body = "{\"status\":\"online\",\"message\":\"waiting\",\"poll_timeout\":\"2m\""
                    + (ackToken.isEmpty() ? "" : ",\"ack_token\":\"" + ackToken + "\"") + "}";
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return c.post("/api/fleet/agents/" + id + "/checkin", key, body);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        static long policyRevision(JsonNode checkin) {
            long rev = -1;
            for (JsonNode a : checkin.path("actions")) {
                if (a.path("type").asText().equals("POLICY_CHANGE")) {
                    rev = Math.max(rev, a.path("data").path("policy").path("revision").asLong());
                }
            }
            return rev;
        }
    }

    /** The supervisor process (a real {@code flotilla server --workers} JVM) and its collected output. */
    private static final class Tree implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Thread> pumps = new CopyOnWriteArrayList<>();

        private Tree(Process process) {
            this.process = process;
            pump(process.getInputStream());
            pump(process.getErrorStream());
        }

        static Tree start(Path dir, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Flotilla.class.getName()));
            cmd.addAll(List.of(args));
            cmd.add("--system-cert-dir=" + dir.resolve("no-system-certs"));
            return new Tree(new ProcessBuilder(cmd).directory(dir.toFile()).start());
        }

        private void pump(java.io.InputStream in) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            t.setDaemon(true);
            pumps.add(t);
            t.start();
        }

        /** Waits (bounded) until everything the exited process wrote has been read. */
        void drain() throws InterruptedException {
            for (Thread t : pumps) {
                t.join(10_000);
            }
        }

        String output() {
            return String.join("\n", lines);
        }

        String awaitLine(Predicate<String> p) throws InterruptedException {
            return awaitLine(p, 1);
        }

        /** The {@code nth} line matching {@code p}. */
        String awaitLine(Predicate<String> p, int nth) throws InterruptedException {
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (System.currentTimeMillis() < deadline) {
                List<String> hits = lines.stream().filter(p).toList();
                if (hits.size() >= nth) {
                    return hits.get(nth - 1);
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no such line (alive: " + process.isAlive() + "); output:\n" + output());
        }

        Map<Integer, Long> workerPids(int n) throws InterruptedException {
            Map<Integer, Long> pids = new HashMap<>();
            awaitLine(l -> STARTED.matcher(l).find(), n);
            for (String l : lines) {
                Matcher m = STARTED.matcher(l);
                if (m.find()) {
                    pids.putIfAbsent(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
                }
            }
            return pids;
        }

        /** The pid of worker {@code index} started after {@code oldPid}. */
        long awaitRestart(int index, long oldPid) throws InterruptedException {
            String line = awaitLine(l -> {
                Matcher m = STARTED.matcher(l);
                return m.find() && Integer.parseInt(m.group(1)) == index && Long.parseLong(m.group(2)) != oldPid;
            });
            Matcher m = STARTED.matcher(line);
            m.find();
            return Long.parseLong(m.group(2));
        }

        String awaitManagementUrl(Path data) throws Exception {
            Path file = data.resolve("management.json");
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (!Files.exists(file)) {
                assertThat(System.currentTimeMillis()).as("management.json written").isLessThan(deadline);
                Thread.sleep(100);
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("url").asText();
        }

        @Override
        public void close() {
            List<ProcessHandle> all = process.descendants().toList();
            process.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
