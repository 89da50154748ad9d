package dev.flotilla.cli.certutil;

import dev.flotilla.pki.Credential;
import dev.flotilla.pki.KeyMatch;
import dev.flotilla.pki.PassphraseRequiredException;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.Pkcs12;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The signing CA: {@code --ca P12} or {@code --ca-cert F --ca-key F}, with {@code --ca-pass}. */
final class CaOptions {

    @Option(names = "--ca", paramLabel = "FILE", description = "CA as PKCS#12 (e.g. elastic-stack-ca.p12)")
    Path caP12;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "CA certificate, PEM (e.g. ca/ca.crt)")
    Path caCert;

    @Option(names = "--ca-key", paramLabel = "FILE", description = "CA private key, PEM (e.g. ca/ca.key)")
    Path caKey;

    @Option(names = "--ca-pass", arity = "0..1", fallbackValue = Passwords.PROMPT, paramLabel = "PASSWORD",
            description = "Password of the CA PKCS#12 or of the encrypted CA key (asked on the terminal when no value)")
    String caPass;

    boolean given() {
        return caP12 != null || caCert != null || caKey != null;
    }

    /** Checks the combination of options; usage errors (exit 2) for impossible ones. */
    void validate(CommandLine cmd) {
        if (caP12 != null && (caCert != null || caKey != null)) {
            throw new CommandLine.ParameterException(cmd,
                    "give the CA either as --ca FILE.p12 or as --ca-cert FILE --ca-key FILE, not both");
        }
        if ((caCert == null) != (caKey == null)) {
            throw new CommandLine.ParameterException(cmd, caCert == null
                    ? "--ca-key needs --ca-cert (the CA certificate that goes with the key)"
                    : "--ca-cert needs --ca-key (the CA's private key, e.g. ca/ca.key)");
        }
        if (caPass != null && !given()) {
            throw new CommandLine.ParameterException(cmd, "--ca-pass needs a CA (--ca or --ca-cert/--ca-key)");
        }
    }

    /** Loads the CA and checks that its key belongs to its certificate. */
    Credential load() {
        char[] pass = Passwords.forExisting(caPass, "--ca-pass", "the CA");
        if (caP12 != null) {
            Credential ca;
            try {
                ca = Pkcs12.read(caP12, pass);
            } catch (PassphraseRequiredException e) {
                if (!Passwords.canAsk()) {
                    throw new PassphraseRequiredException("the CA file " + caP12 + " is protected by a password; "
                            + "give it with --ca-pass=PASSWORD");
                }
                ca = Pkcs12.read(caP12, Passwords.ask("--ca-pass", caP12.toString()));
            }
            KeyMatch.check(ca.certificate(), ca.key(), caP12.toString());
            return ca;
        }
        List<X509Certificate> certs = Pem.readCertificates(caCert);
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(caKey, pass);
        } catch (PassphraseRequiredException e) {
            if (!Passwords.canAsk()) {
                throw new PassphraseRequiredException("the CA key " + caKey + " is encrypted; give its password "
                        + "with --ca-pass=PASSWORD");
            }
            key = Pem.readPrivateKey(caKey, Passwords.ask("--ca-pass", caKey.toString()));
        }
        KeyMatch.check(certs.get(0), key, caCert + " + " + caKey);
        return new Credential(certs.get(0), key, certs);
    }
}
