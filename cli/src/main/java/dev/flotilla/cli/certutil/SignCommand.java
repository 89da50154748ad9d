package dev.flotilla.cli.certutil;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.pki.CertificateRequest;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PkiException;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code certutil sign}: signs a certificate signing request with a CA. */
@Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sign a certificate signing request (CSR) with a CA.",
                "Writes the PEM certificate to NAME.crt (NAME from the CSR file), or --out."})
final class SignCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "The PEM certificate request")
    Path csr;

    @Option(names = "--out", paramLabel = "FILE", description = "Output certificate (default: the CSR's name with .crt)")
    Path out;

    @Option(names = "--days", defaultValue = "1095", paramLabel = "DAYS", description = "Validity in days (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--chain", description = "Append the CA certificate(s) after the certificate")
    boolean chain;

    @Mixin
    CaOptions ca;

    @Mixin
    OutputStyle style;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        ca.validate(cmd);
        if (!ca.given()) {
            throw new CommandLine.ParameterException(cmd,
                    "give the CA that signs: --ca-cert ca/ca.crt --ca-key ca/ca.key, or --ca elastic-stack-ca.p12");
        }
        String name = csr.getFileName().toString().replaceFirst("\\.(csr|pem|req)$", "");
        Path file = Outputs.resolve(out, name + ".crt");
        CertificateRequest request = CertificateRequest.parse(read(csr), csr.toString());
        CertificateBuilder builder = CertificateBuilder.forRequest(request).days(days);
        Credential issuer = ca.load();
        X509Certificate cert = builder.signedBy(issuer).buildCertificate();
        String pem = chain ? Pem.certificate(cert) + Pem.certificates(issuer.chain()) : Pem.certificate(cert);
        PrivateFiles.writeNew(file, pem.getBytes(StandardCharsets.US_ASCII));
        style.info(cmd.getOut(), "Wrote " + file + ": " + CertificateInfo.describe(cert));
        return ExitCodes.OK;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PkiException("cannot read the certificate request " + file + ": " + e.getMessage()
                    + "; check the --csr path", e);
        }
    }
}
