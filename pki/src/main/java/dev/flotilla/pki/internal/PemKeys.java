package dev.flotilla.pki.internal;

import dev.flotilla.pki.PassphraseRequiredException;
import dev.flotilla.pki.PkiException;
import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.EncryptionException;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** Reads the first private key of a PEM text in any of the formats OpenSSL writes. */
public final class PemKeys {

    private PemKeys() {
    }

    public static PrivateKey parse(String pem, char[] passphrase, String source) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    requirePassphrase(passphrase, source);
                    return converter.getPrivateKey(decrypt(enc, passphrase, source));
                } else if (o instanceof PEMEncryptedKeyPair enc) {
                    requirePassphrase(passphrase, source);
                    return converter.getPrivateKey(decrypt(enc, passphrase, source).getPrivateKeyInfo());
                } else if (o instanceof ASN1ObjectIdentifier) {
                    continue; // "EC PARAMETERS" block that openssl ecparam puts before the key
                }
            }
        } catch (PkiException e) {
            throw e;
        } catch (PEMException e) {
            throw new PkiException("the private key in " + source + " is damaged or of an unsupported kind ("
                    + e.getMessage() + "); give a PEM key (PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1)", e);
        } catch (IOException | RuntimeException e) {
            throw new PkiException("cannot read a private key from " + source + " (" + e.getMessage()
                    + "); give a PEM file holding 'BEGIN PRIVATE KEY' or similar", e);
        }
        throw new PkiException(source + " holds no private key; give the PEM key file (BEGIN PRIVATE KEY, "
                + "BEGIN ENCRYPTED PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }

    private static void requirePassphrase(char[] passphrase, String source) {
        if (passphrase == null) {
            throw new PassphraseRequiredException("the private key in " + source
                    + " is encrypted and no passphrase was given; "
                    + "supply its passphrase (key_passphrase / --ca-pass / --pass)");
        }
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo enc, char[] pass, String source) {
        try {
            return enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER).build(pass));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw wrongPassphrase(source, e);
        }
    }

    private static PEMKeyPair decrypt(PEMEncryptedKeyPair enc, char[] pass, String source) {
        try {
            return enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(pass));
        } catch (EncryptionException e) {
            throw wrongPassphrase(source, e);
        } catch (IOException | RuntimeException e) {
            throw wrongPassphrase(source, e);
        }
    }

    private static PkiException wrongPassphrase(String source, Exception cause) {
        return new PkiException("cannot decrypt the private key in " + source
                + ": wrong passphrase (or an unsupported cipher: " + cause.getMessage()
                + "); check the passphrase given for this key", cause);
    }
}
