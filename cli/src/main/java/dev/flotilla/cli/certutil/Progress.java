package dev.flotilla.cli.certutil;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, shown only when there are many items to make. */
final class Progress {

    static final int THRESHOLD = 5;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final int total;
    private final String what;
    private final boolean shown;
    private int done;

    Progress(PrintWriter err, int total, String what, boolean silent) {
        this.err = err;
        this.total = total;
        this.what = what;
        this.shown = !silent && total >= THRESHOLD;
    }

    void step() {
        done++;
        if (shown) {
            int filled = done * WIDTH / total;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + what);
            if (done == total) {
                err.println();
            }
            err.flush();
        }
    }
}
