package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's class-data archive (scripts/lib/class-archive.sh) through the real {@code ./flotilla}. */
class LauncherClassArchiveIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = ROOT.resolve("cli/target/flotilla-all.jar");
    /** The launcher runs a copy, so that a rebuild of {@link #JAR} never changes a jar a server is running from. */
    private static final Path RUN_JAR = ROOT.resolve(".cache/flotilla.jar");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result run(List<String> cmd, boolean launcher) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        if (launcher) {
            pb.environment().put("FLOTILLA_NO_BUILD", "1"); // the jar was just packaged by this build
            pb.environment().put("FLOTILLA_CLASS_ARCHIVE_DIR", dir.resolve("archive").toString());
            pb.environment().remove("FLOTILLA_JAVA_OPTS");
            pb.environment().remove("FLOTILLA_CLASS_ARCHIVE");
        }
        Path out = dir.resolve(".out");
        Path err = dir.resolve(".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<Path> archives() throws Exception {
        Path archiveDir = dir.resolve("archive");
        if (!Files.isDirectory(archiveDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(archiveDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void aLongRunningCommandMakesTheArchiveOnceAndItFitsThisJarAndJdk() throws Exception {
        assertThat(JAR).as("packaged CLI jar").exists();
        String launcher = ROOT.resolve("flotilla").toString();

        Result first = run(List.of(launcher, "server", "--help"), true);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("--fleet-server-cert").doesNotContain("cds").doesNotContain("archive");
        assertThat(first.err()).contains("making the class-data archive");
        List<Path> made = archives();
        assertThat(made).as("archives in %s; stderr: %s", dir, first.err()).hasSize(1);

        Result second = run(List.of(launcher, "server", "--help"), true);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).doesNotContain("making the class-data archive");
        assertThat(archives()).isEqualTo(made);
        assertThat(Files.mismatch(JAR, RUN_JAR)).as("the launcher's copy of the built jar").isEqualTo(-1L);
        assertThat(Files.getLastModifiedTime(RUN_JAR)).isEqualTo(Files.getLastModifiedTime(JAR));

        // -Xshare:on refuses to start unless the archive maps and matches the jar the launcher runs and this JDK
        Result forced = run(List.of("java", // the java the launcher runs
                "-XX:SharedArchiveFile=" + made.get(0), "-Xshare:on", "-jar", RUN_JAR.toString(), "--version"),
                false);
        assertThat(forced.exit()).as(forced.out() + forced.err()).isZero();
        assertThat(forced.out()).contains("flotilla");
    }

    @Test
    void shortCommandsDoNotMakeOne() throws Exception {
        Result r = run(List.of(ROOT.resolve("flotilla").toString(), "--version"), true);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(archives()).isEmpty();
    }
}
