package dev.flotilla.eslocal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds the unpacked Elasticsearch distribution to start, fetching it with the repository's
 * {@code scripts/es/fetch-es.sh} when it is not there yet.
 *
 * <p>Order: the system property {@code flotilla.es.home} or the environment variable {@code FLOTILLA_ES_HOME}
 * (an unpacked distribution), then {@code .cache/elasticsearch/elasticsearch-<version>} under the repository root
 * (found by walking up from the working directory, then from where this code was loaded: the
 * {@code ./flotilla} launcher's jar lives in the repository), fetched on first use. The version comes from
 * {@code flotilla.es.version}, default {@link #DEFAULT_VERSION}.
 */
public final class ElasticsearchDistribution {

    public static final String DEFAULT_VERSION = "8.19.21";
    private static final String FETCH_SCRIPT = "scripts/es/fetch-es.sh";

    private ElasticsearchDistribution() {
    }

    /** The distribution home: a directory holding {@code bin/elasticsearch}. */
    public static Path home() {
        return home(message -> { });
    }

    /** The distribution home; {@code progress} hears what is looked for and fetched (one line each). */
    public static synchronized Path home(Consumer<String> progress) {
        String explicit = System.getProperty("flotilla.es.home", System.getenv("FLOTILLA_ES_HOME"));
        if (explicit != null && !explicit.isBlank()) {
            return checked(Path.of(explicit), "flotilla.es.home / FLOTILLA_ES_HOME");
        }
        String version = version();
        Path root = repositoryRoot();
        Path home = root.resolve(".cache/elasticsearch/elasticsearch-" + version);
        if (Files.isRegularFile(home.resolve(".complete"))) {
            return checked(home, home.toString());
        }
        Path log = root.resolve(".cache/fetch-es.log");
        progress.accept("Fetching Elasticsearch " + version + " (org.elasticsearch.distribution.integ-test-zip,"
                + " about 120 MB unpacked) from Maven Central into " + home.getParent() + " with " + FETCH_SCRIPT
                + "; once only, log in " + log);
        fetch(root, version, log);
        progress.accept("Fetched Elasticsearch " + version + " into " + home);
        return checked(home, home.toString());
    }

    /** {@code flotilla.es.version}, else {@link #DEFAULT_VERSION}. */
    public static String version() {
        return System.getProperty("flotilla.es.version", DEFAULT_VERSION);
    }

    private static Path checked(Path home, String source) {
        if (!Files.isExecutable(home.resolve("bin/elasticsearch"))) {
            throw new IllegalStateException("No Elasticsearch distribution at " + home + " (from " + source
                    + "): bin/elasticsearch is missing. Run " + FETCH_SCRIPT + " from the repository root, or set"
                    + " FLOTILLA_ES_HOME to an unpacked Elasticsearch " + version() + ".");
        }
        return home.toAbsolutePath().normalize();
    }

    private static Path repositoryRoot() {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of(System.getProperty("user.dir")).toAbsolutePath());
        codeLocation(starts);
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve(FETCH_SCRIPT))) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("Cannot find " + FETCH_SCRIPT + " above " + starts + "; run from the"
                + " Flotilla repository, or set FLOTILLA_ES_HOME (or -Dflotilla.es.home) to an unpacked Elasticsearch "
                + version() + " distribution");
    }

    private static void codeLocation(List<Path> starts) {
        CodeSource source = ElasticsearchDistribution.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return;
        }
        try {
            starts.add(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            // not a file location (e.g. inside another archive): the working directory is the only start
        }
    }

    private static void fetch(Path root, String version, Path log) {
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
