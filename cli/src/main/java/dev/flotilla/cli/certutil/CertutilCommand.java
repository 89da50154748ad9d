package dev.flotilla.cli.certutil;

import dev.flotilla.cli.UserError;
import picocli.CommandLine.Command;

/** Placeholder until issue #2 lands: says so instead of pretending to work. */
@Command(name = "certutil", mixinStandardHelpOptions = true, description = "Make a CA and signed certificates (PEM zips, PKCS#12) (not built yet: issue #2)")
public final class CertutilCommand implements Runnable {
    @Override
    public void run() {
        throw new UserError("'flotilla certutil' is not built yet (issue #2)");
    }
}
