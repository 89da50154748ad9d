package dev.flotilla.pki;

/** Thrown when a private key is encrypted and no passphrase was given, so a caller may ask for one and retry. */
public class PassphraseRequiredException extends PkiException {
    private static final long serialVersionUID = 1L;

    public PassphraseRequiredException(String message) {
        super(message);
    }
}
