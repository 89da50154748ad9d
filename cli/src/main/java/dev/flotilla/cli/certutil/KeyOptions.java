package dev.flotilla.cli.certutil;

import dev.flotilla.pki.KeySpec;
import picocli.CommandLine.Option;

/** {@code --keysize} and {@code --keyalg}: the kind of key pair to generate. */
final class KeyOptions {

    @Option(names = "--keysize", paramLabel = "BITS",
            description = "RSA key size (2048, 3072, 4096; default 2048) or EC field size (256, 384, 521; default 256)")
    Integer keysize;

    @Option(names = "--keyalg", paramLabel = "rsa|ec", description = "Key algorithm (default rsa)")
    String keyalg;

    KeySpec keySpec() {
        return KeySpec.parse(keyalg, keysize);
    }
}
