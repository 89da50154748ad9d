package dev.flotilla.cli.certutil;

import dev.flotilla.cli.UserError;
import java.io.Console;
import java.util.Arrays;

/**
 * Passwords from options that may be given without a value ({@code --pass}), in which case we ask on the
 * terminal. Without a terminal we fail and say how to give the value instead.
 */
final class Passwords {

    /** The picocli fallback value of an arity 0..1 password option given without a value. */
    static final String PROMPT = "\u0000prompt";

    private Passwords() {
    }

    /** A password for something we create: null when not given, asked twice when given without a value. */
    static char[] forNew(String value, String option, String what) {
        if (!PROMPT.equals(value)) {
            return value == null ? null : value.toCharArray();
        }
        Console console = requireConsole(option);
        char[] first = console.readPassword("Enter password for %s : ", what);
        char[] second = console.readPassword("Repeat password for %s : ", what);
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new UserError("the two passwords for " + what + " differ; run the command again");
        }
        return first;
    }

    /** A password for something that exists: null when not given, asked once when given without a value. */
    static char[] forExisting(String value, String option, String what) {
        if (!PROMPT.equals(value)) {
            return value == null ? null : value.toCharArray();
        }
        return ask(option, what);
    }

    /** Asks once on the terminal. */
    static char[] ask(String option, String what) {
        char[] pass = requireConsole(option).readPassword("Enter password for %s : ", what);
        if (pass == null) {
            throw new UserError("no password was entered for " + what);
        }
        return pass;
    }

    static boolean canAsk() {
        return System.console() != null;
    }

    private static Console requireConsole(String option) {
        Console console = System.console();
        if (console == null) {
            throw new UserError(option + " was given without a value and there is no terminal to ask on; "
                    + "give the value as " + option + "=SECRET");
        }
        return console;
    }
}
