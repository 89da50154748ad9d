package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command, down to the leaves (e.g. {@code fleet outputs set}), explains itself with --help. */
class HelpEverywhereTest {

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(Flotilla.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(20);
        for (List<String> path : paths) {
            CommandLine cl = Flotilla.commandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            int code = cl.execute(args.toArray(String[]::new));
            assertThat(code).as("flotilla %s --help", String.join(" ", path)).isZero();
            assertThat(out.toString()).as("flotilla %s --help", String.join(" ", path)).startsWith("Usage: flotilla");
        }
    }

    @Test
    void anUnknownOptionIsStillAUsageError() {
        CommandLine cl = Flotilla.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("fleet", "outputs", "set", "--no-such-flag")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--no-such-flag");
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> paths) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getValue().getCommand() instanceof CommandLine.HelpCommand
                    || !e.getKey().equals(e.getValue().getCommandName())) {
                continue; // the help command, and aliases
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            paths.add(p);
            collect(e.getValue(), p, paths);
        }
    }
}
