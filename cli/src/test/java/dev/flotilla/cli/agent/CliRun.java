package dev.flotilla.cli.agent;

import dev.flotilla.cli.Flotilla;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code flotilla ...} in-process with captured output, as a user would type it. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cl = Flotilla.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Splits a shell command line as the seeds write it (backslash-newline continuations, no quoting). */
    static String[] words(String commandLine) {
        List<String> out = new ArrayList<>();
        for (String w : commandLine.replace("\\\n", " ").replace(" \\ ", " ").trim().split("\\s+")) {
            if (!w.isEmpty() && !w.equals("\\") && !w.equals("sudo")) {
                out.add(w);
            }
        }
        return out.toArray(new String[0]);
    }

    /** The error line the CLI printed (first line of stderr starting with "error: "). */
    String errorLine() {
        return err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
    }
}
