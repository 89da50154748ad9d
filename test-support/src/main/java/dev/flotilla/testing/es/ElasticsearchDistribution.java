package dev.flotilla.testing.es;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the unpacked Elasticsearch distribution the tests start, fetching it with the repository's
 * {@code scripts/es/fetch-es.sh} when it is not there yet.
 *
 * <p>Order: the system property {@code flotilla.es.home} (an unpacked distribution), then
 * {@code .cache/elasticsearch/elasticsearch-<version>} under the repository root found by walking up from the
 * working directory, fetched on first use. The version comes from {@code flotilla.es.version}.
 */
public final class ElasticsearchDistribution {

    public static final String DEFAULT_VERSION = "8.19.21";
    private static final String FETCH_SCRIPT = "scripts/es/fetch-es.sh";

    private ElasticsearchDistribution() {
    }

    /** The distribution home: a directory holding {@code bin/elasticsearch}. */
    public static synchronized Path home() {
        String explicit = System.getProperty("flotilla.es.home");
        if (explicit != null && !explicit.isBlank()) {
            return checked(Path.of(explicit), "system property flotilla.es.home");
        }
        String version = System.getProperty("flotilla.es.version", DEFAULT_VERSION);
        Path root = repositoryRoot();
        Path home = root.resolve(".cache/elasticsearch/elasticsearch-" + version);
        if (Files.isRegularFile(home.resolve(".complete"))) {
            return checked(home, home.toString());
        }
        fetch(root, version);
        return checked(home, home.toString());
    }

    private static Path checked(Path home, String source) {
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException("No Elasticsearch distribution at " + home + " (from " + source
                    + "): bin/elasticsearch is missing. Run " + FETCH_SCRIPT + " from the repository root.");
        }
        return home.toAbsolutePath().normalize();
    }

    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(FETCH_SCRIPT))) {
                return p;
            }
        }
        throw new IllegalStateException("Cannot find " + FETCH_SCRIPT + " above " + dir
                + "; set -Dflotilla.es.home=<unpacked elasticsearch distribution>");
    }

    private static void fetch(Path root, String version) {
        Path log = root.resolve(".cache/fetch-es.log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(List.of("bash", root.resolve(FETCH_SCRIPT).toString(), version))
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(FETCH_SCRIPT + " did not finish in 15 minutes; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(FETCH_SCRIPT + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + FETCH_SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching Elasticsearch", e);
        }
    }
}
