package dev.flotilla.cli.certutil;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.Pkcs12;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certutil fingerprint}: the values Elastic pins a CA with. */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = {"Print a certificate's SHA-256 fingerprint (for ca_trusted_fingerprint) and its",
                "SPKI pin (base64 SHA-256 of the public key, for ca_sha256).",
                "Reads PEM (every certificate in it), DER, or PKCS#12 (.p12/.pfx, with --pass)."})
final class FingerprintCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1", paramLabel = "FILE", description = "Certificate file")
    Path file;

    @Option(names = "--pass", arity = "0..1", fallbackValue = Passwords.PROMPT, paramLabel = "PASSWORD",
            description = "Password of a PKCS#12 file")
    String pass;

    @Option(names = "--hex", description = "Print only the SHA-256 hex fingerprint(s), one per line")
    boolean hexOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<X509Certificate> certs = lower.endsWith(".p12") || lower.endsWith(".pfx")
                ? Pkcs12.read(file, Passwords.forExisting(pass, "--pass", file.toString())).chain()
                : Pem.readCertificates(file);
        for (X509Certificate cert : certs) {
            if (hexOnly) {
                out.println(Fingerprints.sha256Hex(cert));
            } else {
                out.println(cert.getSubjectX500Principal().getName());
                out.println("  ca_trusted_fingerprint (SHA-256): " + Fingerprints.sha256Hex(cert));
                out.println("  ca_sha256 (SPKI pin):             " + Fingerprints.spkiSha256Base64(cert));
            }
        }
        return ExitCodes.OK;
    }
}
