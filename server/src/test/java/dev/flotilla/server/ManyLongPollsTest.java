package dev.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.server.checkin.CheckinSettings;
import dev.flotilla.server.limit.EndpointLimit;
import dev.flotilla.server.policy.Policies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Waiting check-ins hold no worker thread: 60 polls wait on 2 workers, and one policy edit answers them all. */
@Timeout(90)
class ManyLongPollsTest {
    @TempDir
    Path dir;

    /** Both transports the listener can run on: native epoll (the default on Linux) and the JDK selector. */
    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void onePolicyEditWakesEveryWaitingAgent(String transport) throws Exception {
        int agents = 60;
        System.setProperty("flotilla.server.transport", transport);
        // the ack endpoint's default burst (50) is below the 60 agents acking at once below
        try (TestFleet fleet = TestFleet.plain(dir, b -> b.workerThreads(2).limit(FleetServerConfig.ENDPOINT_ACK,
                new EndpointLimit(Duration.ofMillis(1), agents, agents, 1024 * 1024)).checkin(new CheckinSettings(
                Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(2),
                Duration.ofMillis(200))))) {
            List<TestFleet.Agent> enrolled = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                TestFleet.Agent a = fleet.enroll();
                fleet.client.ack(a.id(), a.key(), "policy:test-policy:1");
                enrolled.add(a);
            }
            List<CompletableFuture<ApiClient.Reply>> polls = new ArrayList<>();
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(agents);
            List<ApiClient> clientsByAgent = new ArrayList<>();
            for (TestFleet.Agent a : enrolled) {
                ApiClient client = new ApiClient(fleet.server.url(), null);
                clientsByAgent.add(client);
                polls.add(CompletableFuture.supplyAsync(() -> client.checkin(a.id(), a.key(),
                        ApiClient.checkinBody(null)), clients));
            }
            clients.shutdown();
            AgentFlowTest.awaitTrue(() -> fleet.server.waitingCheckins() == agents, agents + " check-ins waiting");
            // the two workers are free: status still answers while every check-in waits
            assertThat(fleet.client.send("GET", "/api/status", null, null).status()).isEqualTo(200);

            fleet.server.policies().put(TestFleet.POLICY, Policies.starter(List.of("https://f:8220"), "https://es:9200"));
            for (CompletableFuture<ApiClient.Reply> poll : polls) {
                ApiClient.Reply r = poll.get(20, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().path("actions").get(0).path("id").asText()).isEqualTo("policy:test-policy:2");
            }
            assertThat(fleet.server.waitingCheckins()).isZero();
            // each agent acks on the connection that was just answered (its reading was held back while the
            // other answers were built) and waits again: every connection reads again after the burst
            java.util.concurrent.ExecutorService again = java.util.concurrent.Executors.newFixedThreadPool(agents);
            List<CompletableFuture<Integer>> acks = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                TestFleet.Agent a = enrolled.get(i);
                ApiClient client = clientsByAgent.get(i);
                CompletableFuture<Integer> ack = new CompletableFuture<>();
                acks.add(ack);
                again.submit(() -> {
                    ack.complete(client.ack(a.id(), a.key(), "policy:test-policy:2").status());
                    return client.checkin(a.id(), a.key(), ApiClient.checkinBody(null));
                });
            }
            again.shutdown();
            AgentFlowTest.awaitTrue(() -> fleet.server.waitingCheckins() == agents, agents + " check-ins waiting again");
            for (CompletableFuture<Integer> ack : acks) {
                assertThat(ack.getNow(-1)).as("every ack answered before its agent waited again").isEqualTo(200);
            }
        } finally {
            System.clearProperty("flotilla.server.transport");
        }
    }
}
