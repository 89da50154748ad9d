package dev.flotilla.bench.handshake;

import dev.flotilla.pki.KeySpec;
import dev.flotilla.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The certificates one handshake key kind uses, shared by nginx and Flotilla: a CA, a server certificate for
 * localhost / 127.0.0.1 and a client certificate, all with the same key kind.
 */
public record HandshakeCertificates(String keyKind, Path ca, Path serverCertificate, Path serverKey,
                             Path clientCertificate, Path clientKey) {

    public static HandshakeCertificates create(String keyKind, Path dir) throws IOException {
        Files.createDirectories(dir);
        KeySpec spec = switch (keyKind) {
            case "P-256" -> KeySpec.ec("P-256");
            case "RSA-2048" -> KeySpec.rsa(2048);
            default -> throw new IllegalArgumentException("bench: unknown key kind " + keyKind + " (P-256, RSA-2048)");
        };
        TestCertificates pki = TestCertificates.create(dir, spec, "Bench " + keyKind + " CA");
        TestCertificates.Issued server = pki.server("localhost");
        TestCertificates.Issued client = pki.client("bench-agent");
        return new HandshakeCertificates(keyKind, pki.caCertificate(), server.certificate(), server.key(),
                client.certificate(), client.key());
    }
}
