package dev.flotilla.cli.certutil;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flotilla certutil}: elasticsearch-certutil's modes plus signing, fingerprints and conversion. */
@Command(name = "certutil", mixinStandardHelpOptions = true,
        description = {
                "Make a CA and signed certificates (PEM zips, PKCS#12), flag-compatible with elasticsearch-certutil.",
                "",
                "  flotilla certutil ca --pem          -> elastic-stack-ca.zip (ca/ca.crt, ca/ca.key)",
                "  flotilla certutil cert --name fleet-server --ca-cert ca/ca.crt --ca-key ca/ca.key \\",
                "      --dns fleet.example.com --ip 192.0.2.1 --pem   -> certificate-bundle.zip",
                "",
                "Output files are created mode 600 and never overwrite an existing file."},
        subcommands = {CaCommand.class, CertCommand.class, CsrCommand.class, SignCommand.class,
                FingerprintCommand.class, ConvertCommand.class})
public final class CertutilCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "certutil needs a mode: ca, cert, csr, sign, fingerprint or convert");
    }
}
