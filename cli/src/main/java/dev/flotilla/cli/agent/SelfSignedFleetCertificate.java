package dev.flotilla.cli.agent;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PrivateFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate a bootstrapped Fleet Server uses when none is given: a self-signed CA (RSA-2048, 10 years) and
 * a server certificate it signs for the URL's host, this host's name and localhost. Made once, reused after.
 */
record SelfSignedFleetCertificate(Path ca, Path certificate, Path key) {
    private static final int TEN_YEARS = 3650;

    static SelfSignedFleetCertificate ensure(Path dir, String urlHost, String hostname) {
        SelfSignedFleetCertificate files = new SelfSignedFleetCertificate(dir.resolve("ca.crt"),
                dir.resolve("fleet-server.crt"), dir.resolve("fleet-server.key"));
        if (Files.exists(files.ca) && Files.exists(files.certificate) && Files.exists(files.key)) {
            return files;
        }
        FleetServerBootstrap.ensureDir(dir);
        Credential ca = CertificateBuilder.forCa("CN=Flotilla Fleet Server self-signed CA")
                .keySpec(KeySpec.rsa(2048)).days(TEN_YEARS).build();
        Set<String> dns = new LinkedHashSet<>();
        List<String> ips = new ArrayList<>(List.of("127.0.0.1", "::1"));
        for (String h : new String[] {urlHost, hostname, "localhost"}) {
            if (h == null || h.isBlank()) {
                continue;
            }
            String bare = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
            if (isIp(bare)) {
                if (!ips.contains(bare)) {
                    ips.add(bare);
                }
            } else {
                dns.add(bare);
            }
        }
        Credential leaf = CertificateBuilder.forLeaf(urlHost == null ? hostname : urlHost).keySpec(KeySpec.rsa(2048))
                .dns(List.copyOf(dns)).ips(ips).days(TEN_YEARS).signedBy(ca).build();
        for (Path p : List.of(files.ca, files.certificate, files.key)) {
            try {
                Files.deleteIfExists(p);
            } catch (java.io.IOException e) {
                throw new dev.flotilla.cli.UserError("cannot replace " + p + ": " + e.getMessage());
            }
        }
        PrivateFiles.writeNew(files.ca, Pem.certificate(ca.certificate()).getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.writeNew(files.certificate, Pem.certificates(leaf.chain()).getBytes(StandardCharsets.US_ASCII));
        PrivateFiles.writeNew(files.key, Pem.privateKey(leaf.key()).getBytes(StandardCharsets.US_ASCII));
        return files;
    }

    private static boolean isIp(String h) {
        return h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || h.contains(":");
    }
}
