package dev.flotilla.server.certs;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.CertificateInfo;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PrivateFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Fleet Server's certificate when none is configured: one installed at the system level
 * ({@code /etc/flotilla/fleet-server.crt} and {@code .key}), else one in {@code <data-dir>/certs}, else a new
 * self-signed CA (RSA-2048, 10 years) and a server certificate for this host's names and IPs, written to
 * {@code <data-dir>/certs} (keys mode 600). The CA path and SHA-256 fingerprint are logged so agents can pass
 * {@code --certificate-authorities} (or must pass {@code --insecure}).
 */
public final class ServerCertificates {
    public static final Path SYSTEM_DIR = Path.of("/etc/flotilla");
    public static final String CERT_FILE = "fleet-server.crt";
    public static final String KEY_FILE = "fleet-server.key";
    public static final String CA_FILE = "ca.crt";
    public static final String CA_KEY_FILE = "ca.key";
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);

    /** Where the certificate came from, and the CA agents should trust when it is known. */
    public enum Origin { SYSTEM, DATA_DIR, GENERATED }

    /** A usable certificate (chain file), key and, when known, the CA that issued it. */
    public record Found(Path certificate, Path key, Path ca, Origin origin) {
        public String caFingerprint() {
            if (ca == null) {
                return null;
            }
            return Fingerprints.sha256Hex(Pem.readCertificates(ca).get(0));
        }
    }

    private ServerCertificates() {
    }

    public static Found findOrGenerate(Path systemDir, Path dataDir) {
        Path sysCert = systemDir.resolve(CERT_FILE);
        Path sysKey = systemDir.resolve(KEY_FILE);
        if (Files.isRegularFile(sysCert) && Files.isRegularFile(sysKey)) {
            Path ca = systemDir.resolve(CA_FILE);
            LOG.info("using the system-level Fleet Server certificate {}", sysCert);
            return new Found(sysCert, sysKey, Files.isRegularFile(ca) ? ca : null, Origin.SYSTEM);
        }
        Path certs = dataDir.resolve("certs");
        Path cert = certs.resolve(CERT_FILE);
        Path key = certs.resolve(KEY_FILE);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            Path ca = certs.resolve(CA_FILE);
            LOG.info("using the Fleet Server certificate in the data directory: {}", cert);
            return logged(new Found(cert, key, Files.isRegularFile(ca) ? ca : null, Origin.DATA_DIR));
        }
        return logged(generate(certs, LocalAddresses.hostNames(), LocalAddresses.ips()));
    }

    /** Writes a new CA and server certificate into {@code dir}; refuses to overwrite existing files. */
    public static Found generate(Path dir, List<String> dnsNames, List<String> ips) {
        Credential ca = CertificateBuilder.forCa("CN=Flotilla Fleet Server CA").keySpec(KeySpec.rsa(2048))
                .days(3650).build();
        String cn = dnsNames.isEmpty() ? "fleet-server" : dnsNames.get(0);
        Credential server = CertificateBuilder.forLeaf(cn).dns(dnsNames).ips(ips).keySpec(KeySpec.rsa(2048))
                .days(3650).signedBy(ca).build();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create " + dir + " for the generated Fleet Server certificate: "
                    + e.getMessage() + ". Choose a writable --data-dir.", e);
        }
        Path caCert = dir.resolve(CA_FILE);
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        PrivateFiles.writeNew(dir.resolve(CA_KEY_FILE), utf8(Pem.privateKey(ca.key())));
        PrivateFiles.writeNew(key, utf8(Pem.privateKey(server.key())));
        writePublic(caCert, Pem.certificate(ca.certificate()));
        // The chain (server, then CA) lets agents pin the CA by fingerprint.
        writePublic(cert, Pem.certificate(server.certificate()) + Pem.certificate(ca.certificate()));
        LOG.info("generated a self-signed CA and server certificate: {}",
                CertificateInfo.describe(server.certificate()));
        return new Found(cert, key, caCert, Origin.GENERATED);
    }

    private static Found logged(Found found) {
        if (found.ca() != null) {
            LOG.info("Fleet Server CA: {} (sha256 fingerprint {}); agents need --certificate-authorities={}"
                    + " (or --insecure)", found.ca(), found.caFingerprint(), found.ca());
        }
        return found;
    }

    private static void writePublic(Path file, String pem) {
        try {
            Files.writeString(file, pem, StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage()
                    + ". Remove the file or choose another --data-dir.", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
