package dev.flotilla.cli.certutil;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.Pkcs12;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code certutil cert}: certificates signed by a CA (or self-signed), for servers and clients alike. */
@Command(name = "cert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make certificates signed by a CA (each serves as server and client certificate).",
                "One PKCS#12 elastic-certificates.p12 by default; with --pem, --in or --multiple a zip "
                        + "certificate-bundle.zip holding NAME/NAME.crt and NAME/NAME.key (or NAME/NAME.p12)."})
final class CertCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pem", description = "Write PEM certificate and key files (in a zip)")
    boolean pem;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default elastic-certificates.p12 or certificate-bundle.zip)")
    Path out;

    @Option(names = "--pass", arity = "0..1", fallbackValue = Passwords.PROMPT, paramLabel = "PASSWORD",
            description = "Password of the PKCS#12 files, or with --pem of the encrypted keys (asked when no value)")
    String pass;

    @Option(names = "--days", defaultValue = "1095", paramLabel = "DAYS", description = "Validity in days (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--self-signed", description = "Make self-signed certificates instead of using a CA")
    boolean selfSigned;

    @Mixin
    CaOptions ca;

    @Mixin
    InstanceOptions instances;

    @Mixin
    KeyOptions keys;

    @Mixin
    OutputStyle style;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        ca.validate(cmd);
        if (ca.given() == selfSigned) {
            throw new CommandLine.ParameterException(cmd, selfSigned
                    ? "--self-signed makes certificates without a CA; drop --ca/--ca-cert/--ca-key or --self-signed"
                    : "give the CA that signs the certificates: --ca-cert ca/ca.crt --ca-key ca/ca.key, "
                    + "or --ca elastic-stack-ca.p12 (or use --self-signed)");
        }
        KeySpec keySpec = keys.keySpec();
        boolean zip = pem || instances.many();
        Path file = Outputs.resolve(out, zip ? "certificate-bundle.zip" : "elastic-certificates.p12");
        List<Instance> list = instances.instances(cmd, cmd.getErr());
        List<CertificateBuilder> builders = new ArrayList<>();
        for (Instance i : list) {
            builders.add(CertificateBuilder.forLeaf(i.name()).dns(i.dns()).ips(i.ips()).days(days).keySpec(keySpec));
        }
        Credential issuer = selfSigned ? null : ca.load();
        char[] password = Passwords.forNew(pass, "--pass", pem ? "the private keys" : file.toString());
        char[] p12Password = password == null ? new char[0] : password;
        Progress progress = new Progress(cmd.getErr(), list.size(), "certificates", style.silent);
        Bundle bundle = new Bundle();
        Credential single = null;
        for (int n = 0; n < list.size(); n++) {
            Instance instance = list.get(n);
            CertificateBuilder b = builders.get(n);
            Credential c = (issuer == null ? b : b.signedBy(issuer)).build();
            String base = instance.filename() + "/" + instance.filename();
            if (pem) {
                bundle.add(base + ".crt", Pem.certificate(c.certificate()));
                bundle.add(base + ".key", KeyText.of(c.key(), password));
            } else if (zip) {
                bundle.add(base + ".p12", Pkcs12.encode(instance.name(), c, p12Password));
            }
            single = c;
            style.detail(cmd.getOut(), "made " + instance.name() + ": " + c);
            progress.step();
        }
        if (zip) {
            bundle.write(file);
            style.info(cmd.getOut(), "Wrote " + list.size() + " certificate" + (list.size() == 1 ? "" : "s")
                    + " to " + file + " (" + String.join(", ", bundle.names()) + ")");
        } else {
            Pkcs12.write(file, list.get(0).name(), single, p12Password);
            style.info(cmd.getOut(), "Wrote the certificate, key and CA of " + list.get(0).name() + " to " + file
                    + " (PKCS#12)");
        }
        return ExitCodes.OK;
    }
}
