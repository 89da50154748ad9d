package dev.flotilla.cli.certutil;

import dev.flotilla.cli.ExitCodes;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.KeyMatch;
import dev.flotilla.pki.PassphraseRequiredException;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.Pkcs12;
import dev.flotilla.pki.PrivateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code certutil convert}: PKCS#12 to PEM certificate + key (what Elastic's guide does with two
 * {@code openssl pkcs12} commands), and PEM back to PKCS#12.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert between PKCS#12 and PEM.",
                "  convert --in path.p12 [--pass P] --cert-out cert.crt --key-out private.key [--key-pass P]",
                "  convert --cert cert.crt --key private.key [--key-pass P] [--ca-cert ca.crt] --out path.p12 [--pass P]"})
final class ConvertCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", paramLabel = "FILE.p12", description = "PKCS#12 to turn into PEM files")
    Path in;

    @Option(names = "--cert-out", paramLabel = "FILE", description = "PEM certificate to write (default: NAME.crt)")
    Path certOut;

    @Option(names = "--key-out", paramLabel = "FILE", description = "PEM key to write (default: NAME.key)")
    Path keyOut;

    @Option(names = "--ca-out", paramLabel = "FILE", description = "Also write the CA certificate(s) of the PKCS#12 here")
    Path caOut;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM certificate to put into a PKCS#12")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM private key to put into a PKCS#12")
    Path key;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "CA certificate(s) to add to the PKCS#12 chain")
    Path caCert;

    @Option(names = "--out", paramLabel = "FILE.p12", description = "PKCS#12 to write (default: NAME.p12)")
    Path out;

    @Option(names = "--name", paramLabel = "ALIAS", description = "Alias of the key in the PKCS#12 (default: NAME)")
    String alias;

    @Option(names = "--pass", arity = "0..1", fallbackValue = Passwords.PROMPT, paramLabel = "PASSWORD",
            description = "Password of the PKCS#12 (read or written; empty when not given)")
    String pass;

    @Option(names = "--key-pass", arity = "0..1", fallbackValue = Passwords.PROMPT, paramLabel = "PASSWORD",
            description = "Password of the PEM key (to encrypt the written key, or to open the given one)")
    String keyPass;

    @Mixin
    OutputStyle style;

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        if ((in == null) == (cert == null)) {
            throw new CommandLine.ParameterException(cmd,
                    "give either --in FILE.p12 (to PEM) or --cert FILE --key FILE (to PKCS#12)");
        }
        return in != null ? toPem(cmd) : toPkcs12(cmd);
    }

    private int toPem(CommandLine cmd) {
        if (cert != null || key != null || caCert != null || out != null || alias != null) {
            throw new CommandLine.ParameterException(cmd,
                    "--in (PKCS#12 to PEM) takes --cert-out, --key-out, --ca-out, --pass and --key-pass only");
        }
        String name = baseName(in, "\\.(p12|pfx)$");
        Path certFile = Outputs.resolve(certOut, name + ".crt");
        Path keyFile = Outputs.resolve(keyOut, name + ".key");
        Path caFile = caOut == null ? null : Outputs.resolve(caOut, name + "-ca.crt");
        Credential c = Pkcs12.read(in, Passwords.forExisting(pass, "--pass", in.toString()));
        char[] keyPassword = Passwords.forNew(keyPass, "--key-pass", keyFile.toString());
        PrivateFiles.writeNew(certFile, ascii(Pem.certificate(c.certificate())));
        PrivateFiles.writeNew(keyFile, ascii(KeyText.of(c.key(), keyPassword)));
        if (caFile != null) {
            PrivateFiles.writeNew(caFile, ascii(Pem.certificates(c.chain().subList(1, c.chain().size()))));
        }
        style.info(cmd.getOut(), "Wrote " + certFile + " and " + keyFile + (caFile == null ? "" : " and " + caFile));
        return ExitCodes.OK;
    }

    private int toPkcs12(CommandLine cmd) {
        if (key == null) {
            throw new CommandLine.ParameterException(cmd, "--cert needs --key (the certificate's private key)");
        }
        if (certOut != null || keyOut != null || caOut != null) {
            throw new CommandLine.ParameterException(cmd,
                    "--cert/--key (PEM to PKCS#12) take --ca-cert, --out, --name, --pass and --key-pass only");
        }
        String name = baseName(cert, "\\.(crt|pem|cer)$");
        Path file = Outputs.resolve(out, name + ".p12");
        List<X509Certificate> chain = new ArrayList<>(Pem.readCertificates(cert));
        if (caCert != null) {
            chain.addAll(Pem.readCertificates(caCert));
        }
        PrivateKey privateKey = readKey();
        KeyMatch.check(chain.get(0), privateKey, cert + " + " + key);
        char[] password = Passwords.forNew(pass, "--pass", file.toString());
        Pkcs12.write(file, alias == null ? name : alias, new Credential(chain.get(0), privateKey, chain),
                password == null ? new char[0] : password);
        style.info(cmd.getOut(), "Wrote " + file + " (PKCS#12, alias '" + (alias == null ? name : alias) + "')");
        return ExitCodes.OK;
    }

    private PrivateKey readKey() {
        try {
            return Pem.readPrivateKey(key, Passwords.forExisting(keyPass, "--key-pass", key.toString()));
        } catch (PassphraseRequiredException e) {
            throw new PassphraseRequiredException("the key " + key + " is encrypted; give its password with "
                    + "--key-pass=PASSWORD (or --key-pass alone to be asked)");
        }
    }

    private static String baseName(Path file, String suffix) {
        return file.getFileName().toString().replaceFirst(suffix, "");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
