package dev.flotilla.cli.internal;

import dev.flotilla.agent.fleet.AckEvent;
import dev.flotilla.agent.fleet.Action;
import dev.flotilla.agent.fleet.CheckinRequest;
import dev.flotilla.agent.fleet.CheckinResponse;
import dev.flotilla.agent.fleet.EnrollRequest;
import dev.flotilla.agent.fleet.EnrollResponse;
import dev.flotilla.agent.fleet.FleetClient;
import dev.flotilla.agent.fleet.FleetConnection;
import dev.flotilla.cli.Flotilla;
import dev.flotilla.cli.server.ServerCommand;
import dev.flotilla.server.FleetServer;
import dev.flotilla.server.policy.Policies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The training run behind the launcher's class-data archive (hidden; {@code ./flotilla} runs it once per build,
 * under {@code -XX:ArchiveClassesAtExit}): starts a Fleet Server as {@code flotilla server} does (embedded store,
 * its self-signed certificate, management API) on loopback ports the kernel picks, in a temporary directory, and
 * walks one agent through what a server does most: enroll, check in, take its policy, ack, wait in a long poll
 * and be woken by a new policy revision. The classes loaded on the way are what the archive then holds, so a
 * later {@code flotilla server} start maps them instead of loading and verifying them again.
 */
@Command(name = "class-archive-training", hidden = true, mixinStandardHelpOptions = true,
        description = "Exercise a server and an agent once (the launcher's class-data archive is made from this run)")
public final class ClassArchiveTrainingCommand implements java.util.concurrent.Callable<Integer> {

    private static final String POLICY = "class-archive-training";

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("flotilla-class-archive-training");
        try {
            train(dir);
            return 0;
        } finally {
            deleteTree(dir);
        }
    }

    private static void train(Path dir) throws Exception {
        CommandLine cl = Flotilla.commandLine();
        Path data = dir.resolve("server");
        CommandLine.ParseResult parsed = cl.parseArgs("server", "--fleet-server-host", "127.0.0.1",
                "--fleet-server-port", "0", "--data-dir", data.toString());
        ServerCommand command = (ServerCommand) parsed.subcommand().commandSpec().userObject();
        FleetServer server = command.startServer();
        try {
            String url = server.url().toString();
            server.policies().put(POLICY, Policies.starter(List.of(url), "https://127.0.0.1:9200"));
            String token = server.enrollmentTokens().create("training", POLICY).token();
            // the agent trusts the CA of the server's self-signed certificate, as `agent install
            // --certificate-authorities` would have it (verification and pinning classes load too)
            FleetConnection connection = new FleetConnection(List.of(url), Map.of("certificate_authorities",
                    List.of(data.resolve("certs").resolve("ca.crt").toString())), null, false);
            try (FleetClient client = FleetClient.connect(connection)) {
                EnrollResponse agent = client.enroll(token, new EnrollRequest(null, null, List.of("training"),
                        Map.of("host", Map.of("hostname", "class-archive-training"))));
                CheckinResponse first = checkin(client, agent, null, 0);
                List<AckEvent> acks = first.actions().stream().map(AckEvent::ok).toList();
                client.ack(agent.agentId(), agent.accessApiKey(), acks);
                long revision = first.actions().stream().map(Action::data)
                        .mapToLong(d -> d.path("policy").path("revision").asLong()).max().orElse(1);
                // the long poll: wait, then be woken by a new revision (the path a policy change fans out on)
                CompletableFuture<CheckinResponse> waiting = CompletableFuture.supplyAsync(
                        () -> checkin(client, agent, first.ackToken(), revision));
                // (bounded: the check-in itself returns after its 20 s poll timeout at the latest)
                while (server.waitingCheckins() == 0 && !waiting.isDone()) {
                    Thread.sleep(20);
                }
                server.policies().put(POLICY, Policies.starter(List.of(url), "https://127.0.0.1:9201"));
                CheckinResponse woken = waiting.get(30, TimeUnit.SECONDS);
                if (woken.actions().isEmpty()) {
                    throw new IllegalStateException("class-archive training: the waiting check-in was not woken by"
                            + " policy revision " + (revision + 1));
                }
                client.ack(agent.agentId(), agent.accessApiKey(), woken.actions().stream().map(AckEvent::ok).toList());
            }
        } finally {
            command.stop();
        }
    }

    private static CheckinResponse checkin(FleetClient client, EnrollResponse agent, String ackToken, long revision) {
        return client.checkin(agent.agentId(), agent.accessApiKey(), new CheckinRequest("online", "Running",
                ackToken, Map.of(), POLICY, revision, Duration.ofSeconds(20)));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the training directory " + dir, e);
        }
    }
}
