package dev.flotilla.cli.certutil;

import dev.flotilla.pki.Pem;
import java.security.PrivateKey;

/** A key as PEM: encrypted PKCS#8 when a non-empty password was given, plain PKCS#8 otherwise. */
final class KeyText {

    private KeyText() {
    }

    static boolean encrypts(char[] password) {
        return password != null && password.length > 0;
    }

    static String of(PrivateKey key, char[] password) {
        return encrypts(password) ? Pem.encryptedPrivateKey(key, password) : Pem.privateKey(key);
    }
}
