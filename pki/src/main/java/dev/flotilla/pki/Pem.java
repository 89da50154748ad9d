package dev.flotilla.pki;

import dev.flotilla.pki.internal.Bc;
import dev.flotilla.pki.internal.PemKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reads and writes PEM certificates and private keys. */
public final class Pem {

    /** PBKDF2 iterations for keys we encrypt (OpenSSL uses 2048; more costs little for a key read once). */
    static final int PBKDF2_ITERATIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pem() {
    }

    /** True when the text holds a PEM block ("-----BEGIN "). */
    public static boolean looksLikePem(String text) {
        return text != null && text.contains("-----BEGIN ");
    }

    /** Every certificate in a PEM file (a DER file holding one certificate is accepted too). */
    public static List<X509Certificate> readCertificates(Path file) {
        byte[] bytes = read(file, "certificate");
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!looksLikePem(text)) {
            try {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                return List.of((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(bytes)));
            } catch (CertificateException | RuntimeException e) {
                throw new PkiException(file + " is neither a PEM nor a DER certificate; give a file holding "
                        + "'-----BEGIN CERTIFICATE-----'", e);
            }
        }
        return parseCertificates(text, file.toString());
    }

    /**
     * Every {@code CERTIFICATE} block of a PEM text, in order.
     *
     * @param source where the text came from, for messages (a file name or "inline certificate_authorities")
     */
    public static List<X509Certificate> parseCertificates(String pem, String source) {
        List<X509Certificate> certs = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            PemObject o;
            while ((o = reader.readPemObject()) != null) {
                if (o.getType().equals("CERTIFICATE") || o.getType().equals("X509 CERTIFICATE")
                        || o.getType().equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(o.getContent())));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PkiException("cannot read certificates from " + source + " (" + e.getMessage()
                    + "); the file must hold PEM blocks '-----BEGIN CERTIFICATE-----'", e);
        }
        if (certs.isEmpty()) {
            throw new PkiException(source + " holds no certificate; give a PEM file with "
                    + "'-----BEGIN CERTIFICATE-----' blocks (is it the key file instead of the certificate?)");
        }
        return List.copyOf(certs);
    }

    /**
     * The first private key of a PEM file: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1 or legacy DEK-Info encrypted.
     *
     * @param passphrase for encrypted keys; null when none was given
     */
    public static PrivateKey readPrivateKey(Path file, char[] passphrase) {
        return parsePrivateKey(new String(read(file, "private key"), StandardCharsets.ISO_8859_1), passphrase,
                file.toString());
    }

    /** The first private key of a PEM text. See {@link #readPrivateKey(Path, char[])}. */
    public static PrivateKey parsePrivateKey(String pem, char[] passphrase, String source) {
        return PemKeys.parse(pem, passphrase, source);
    }

    /** A certificate as a PEM {@code CERTIFICATE} block. */
    public static String certificate(X509Certificate certificate) {
        try {
            return write(new PemObject("CERTIFICATE", certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** Several certificates as consecutive PEM blocks. */
    public static String certificates(List<X509Certificate> certificates) {
        StringBuilder sb = new StringBuilder();
        certificates.forEach(c -> sb.append(certificate(c)));
        return sb.toString();
    }

    /** A private key as unencrypted PKCS#8 ({@code PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null).generate());
        } catch (PemGenerationException e) {
            throw new PkiException("cannot encode the " + key.getAlgorithm() + " private key as PKCS#8", e);
        }
    }

    /** A private key as encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC). */
    public static String encryptedPrivateKey(PrivateKey key, char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new PkiException("an empty passphrase cannot encrypt a private key; give a non-empty passphrase "
                    + "or write the key unencrypted");
        }
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(RANDOM)
                    .setProvider(Bc.PROVIDER)
                    .setPassword(passphrase)
                    .build();
            return write(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new PkiException("cannot encrypt the " + key.getAlgorithm() + " private key: " + e.getMessage(), e);
        }
    }

    /** Any DER structure as a PEM block of the given type (e.g. "CERTIFICATE REQUEST"). */
    public static String block(String type, byte[] der) {
        return write(new PemObject(type, der));
    }

    private static String write(PemObject object) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return out.toString();
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PkiException("the " + what + " file " + file + " does not exist; check the path", e);
        } catch (IOException e) {
            throw new PkiException("cannot read the " + what + " file " + file + ": " + e.getMessage()
                    + "; check that it exists and is readable", e);
        }
    }
}
