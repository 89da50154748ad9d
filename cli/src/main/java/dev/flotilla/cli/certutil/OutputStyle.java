package dev.flotilla.cli.certutil;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** elasticsearch-certutil's {@code -s/--silent} and {@code -v/--verbose}. */
final class OutputStyle {

    @Option(names = {"-s", "--silent"}, description = "Print nothing but errors")
    boolean silent;

    @Option(names = {"-v", "--verbose"}, description = "Print more about what is made")
    boolean verbose;

    void info(PrintWriter out, String line) {
        if (!silent) {
            out.println(line);
        }
    }

    void detail(PrintWriter out, String line) {
        if (verbose && !silent) {
            out.println(line);
        }
    }
}
