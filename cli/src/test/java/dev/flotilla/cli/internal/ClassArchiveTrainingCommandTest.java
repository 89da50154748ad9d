package dev.flotilla.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.cli.Flotilla;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClassArchiveTrainingCommandTest {

    @Test
    void walksAnAgentThroughAServerAndLeavesNothingBehind() throws IOException {
        List<Path> before = trainingDirs();
        CommandLine cl = Flotilla.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));

        int code = cl.execute("class-archive-training");

        assertThat(code).as("exit code; stderr: %s", err).isZero();
        assertThat(trainingDirs()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void isNotListedInTheHelp() {
        StringWriter out = new StringWriter();
        CommandLine cl = Flotilla.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.execute("--help");
        assertThat(out.toString()).contains("server").doesNotContain("class-archive-training");
    }

    private static List<Path> trainingDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("flotilla-class-archive-training")).toList();
        }
    }
}
