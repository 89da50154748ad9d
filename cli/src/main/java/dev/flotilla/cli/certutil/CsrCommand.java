package dev.flotilla.cli.certutil;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.pki.CertificateRequest;
import dev.flotilla.pki.KeySpec;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code certutil csr}: certificate signing requests and their keys, for an external CA (or {@code certutil sign}). */
@Command(name = "csr", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make certificate signing requests (CSRs) and their private keys.",
                "Writes a zip csr-bundle.zip holding NAME/NAME.csr and NAME/NAME.key."})
final class CsrCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Output zip (default csr-bundle.zip)")
    Path out;

    @Option(names = "--pass", arity = "0..1", fallbackValue = Passwords.PROMPT, paramLabel = "PASSWORD",
            description = "Encrypt the private keys with this password (asked when no value)")
    String pass;

    @Mixin
    InstanceOptions instances;

    @Mixin
    KeyOptions keys;

    @Mixin
    OutputStyle style;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        KeySpec keySpec = keys.keySpec();
        Path file = Outputs.resolve(out, "csr-bundle.zip");
        List<Instance> list = instances.instances(cmd, cmd.getErr());
        char[] password = Passwords.forNew(pass, "--pass", "the private keys");
        Progress progress = new Progress(cmd.getErr(), list.size(), "requests", style.silent);
        Bundle bundle = new Bundle();
        for (Instance i : list) {
            KeyPair pair = keySpec.generate();
            CertificateRequest csr = CertificateRequest.create(pair, i.name(), i.dns(), i.ips());
            String base = i.filename() + "/" + i.filename();
            bundle.add(base + ".csr", csr.pem());
            bundle.add(base + ".key", KeyText.of(pair.getPrivate(), password));
            progress.step();
        }
        bundle.write(file);
        style.info(cmd.getOut(), "Wrote " + list.size() + " certificate request" + (list.size() == 1 ? "" : "s")
                + " to " + file + " (" + String.join(", ", bundle.names()) + ")");
        return ExitCodes.OK;
    }
}
