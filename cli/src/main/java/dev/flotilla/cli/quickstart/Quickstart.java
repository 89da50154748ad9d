package dev.flotilla.cli.quickstart;

import dev.flotilla.server.FleetServer;
import dev.flotilla.server.enroll.EnrollmentTokens;
import dev.flotilla.server.policy.Policies;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The quickstart's policy and enrollment token: created once, reused while the token is still active. */
final class Quickstart {
    static final String TOKEN_FILE = "enrollment-token";

    /**
     * What the quickstart started and the command it prints; {@code elasticsearch} is null without
     * {@code --with-elasticsearch}. {@link #close()} stops it all in order.
     */
    record Result(FleetServer server, String url, Path ca, String caFingerprint, String token, String agentCommand,
                  boolean reused, QuickstartElasticsearch elasticsearch) implements AutoCloseable {

        /** The Fleet Server (its long polls answer), then the Elasticsearch store and node. */
        @Override
        public void close() {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (elasticsearch != null) {
                    elasticsearch.close();
                }
            }
        }

        /** {@link #close()} on a failed start: the first failure is the one to report. */
        void closeQuietly() {
            try {
                close();
            } catch (RuntimeException ignored) {
                // the start's own failure is being thrown
            }
        }
    }

    record Setup(String token, boolean reused) {
    }

    private Quickstart() {
    }

    /** Creates the policy and a token when missing; the token is kept in {@code <data>/enrollment-token} (600). */
    static Setup ensurePolicyAndToken(FleetServer server, Path data, String policyId, String url, String es) {
        boolean policyExists = server.policies().latest(policyId).isPresent();
        if (!policyExists) {
            server.policies().put(policyId, Policies.starter(List.of(url), es));
        }
        Path file = data.resolve(TOKEN_FILE);
        if (Files.isRegularFile(file)) {
            String[] saved = read(file).trim().split("\\s+");
            if (saved.length == 2 && server.enrollmentTokens().find(saved[0])
                    .filter(k -> k.active() && k.policyId().equals(policyId)).isPresent()) {
                return new Setup(saved[1], policyExists);
            }
            delete(file);
        }
        EnrollmentTokens.Created created = server.enrollmentTokens().create("quickstart", policyId);
        PrivateFiles.writeNew(file, (created.key().id() + " " + created.token() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return new Setup(created.token(), false);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace the stale token file " + file + ": " + e.getMessage(), e);
        }
    }
}
