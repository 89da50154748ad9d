package dev.flotilla.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PKCS#12 files as elasticsearch-certutil writes them: one key entry (with its chain) and, when the chain holds
 * the issuing CA, a trusted entry {@code ca}. Written with the JDK's PKCS#12 (PBES2/AES-256, PBKDF2-HMAC-SHA256,
 * HMAC-SHA256 MAC), which OpenSSL 3 reads without {@code -legacy}.
 */
public final class Pkcs12 {

    private Pkcs12() {
    }

    /** Writes a new PKCS#12 file (mode 600, never overwriting). */
    public static void write(Path file, String alias, Credential credential, char[] passphrase) {
        PrivateFiles.writeNew(file, encode(alias, credential, passphrase));
    }

    /** The PKCS#12 bytes for a credential; {@code passphrase} may be empty (not null). */
    public static byte[] encode(String alias, Credential credential, char[] passphrase) {
        char[] pass = passphrase == null ? new char[0] : passphrase;
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12", "SUN");
            ks.load(null, null);
            ks.setKeyEntry(alias, credential.key(), pass, credential.chain().toArray(Certificate[]::new));
            if (credential.chain().size() > 1 && !"ca".equals(alias)) {
                ks.setCertificateEntry("ca", credential.root());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, pass);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build the PKCS#12 for " + alias + ": " + e.getMessage(), e);
        }
    }

    /** Reads the first key entry (its key, certificate and chain) of a PKCS#12 file. */
    public static Credential read(Path file, char[] passphrase) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PkiException("the PKCS#12 file " + file + " does not exist; check the path", e);
        } catch (IOException e) {
            throw new PkiException("cannot read the PKCS#12 file " + file + ": " + e.getMessage(), e);
        }
        return decode(bytes, passphrase, file.toString());
    }

    /** Reads the first key entry of PKCS#12 bytes; {@code source} names them in messages. */
    public static Credential decode(byte[] bytes, char[] passphrase, String source) {
        char[] pass = passphrase == null ? new char[0] : passphrase;
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12", "SUN");
            ks.load(new ByteArrayInputStream(bytes), pass);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException && pass.length == 0) {
                throw new PassphraseRequiredException("the PKCS#12 file " + source + " is protected by a password "
                        + "and none was given; give its password (--ca-pass / --pass)");
            }
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new PkiException("cannot open the PKCS#12 file " + source + ": wrong password; give its "
                        + "password (--ca-pass / --pass)", e);
            }
            throw new PkiException("cannot read " + source + " as PKCS#12 (" + e.getMessage() + "); is it a PEM "
                    + "file? then give it with --ca-cert/--ca-key instead", e);
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot read " + source + " as PKCS#12: " + e.getMessage(), e);
        }
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    Key key = ks.getKey(alias, pass);
                    Certificate[] chain = ks.getCertificateChain(alias);
                    if (key instanceof PrivateKey pk && chain != null && chain.length > 0) {
                        List<X509Certificate> certs = new ArrayList<>();
                        for (Certificate c : chain) {
                            certs.add((X509Certificate) c);
                        }
                        return new Credential(certs.get(0), pk, certs);
                    }
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new PkiException("cannot open the key in the PKCS#12 file " + source + ": its key password differs "
                    + "from the file password; re-export it with one password", e);
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot read the key in the PKCS#12 file " + source + ": " + e.getMessage(), e);
        }
        throw new PkiException(source + " holds no private key with a certificate; give a PKCS#12 made by "
                + "'flotilla certutil ca' or 'cert' (a trust-store-only PKCS#12 cannot sign or serve)");
    }
}
