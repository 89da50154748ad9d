package dev.flotilla.cli.agent;

import dev.flotilla.agent.fleet.FleetConnection;
import dev.flotilla.agent.fleet.FleetUrls;
import dev.flotilla.cli.UserError;
import dev.flotilla.pki.Pem;
import dev.flotilla.pki.PkiException;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the enrollment flags into the agent -> Fleet Server {@link FleetConnection}: checks the URL, the CA files
 * (read now so a wrong file fails here; kept as absolute paths, as Elastic's agent does, so TLS errors name them),
 * the client certificate, key and passphrase file, and the proxy. Every mistake is one actionable line.
 */
final class FleetConnectionSettings {

    private FleetConnectionSettings() {
    }

    static FleetConnection from(EnrollOptions o, List<String> extraCas, PrintWriter warnings) {
        if (o.url == null || o.url.isBlank()) {
            throw new UserError("--url is required: the Fleet Server URL, e.g. --url=https://fleet.example.com:8220");
        }
        URI uri;
        try {
            uri = FleetUrls.parse(o.url);
        } catch (RuntimeException e) {
            throw new UserError(e.getMessage());
        }
        if ("http".equals(uri.getScheme()) && !o.insecure) {
            throw new UserError("--url=" + o.url + " is plain HTTP (unencrypted): pass --insecure to accept that,"
                    + " or use an https:// URL");
        }
        Map<String, Object> ssl = new LinkedHashMap<>();
        List<String> cas = new ArrayList<>();
        for (Path ca : o.certificateAuthorities) {
            cas.add(readCa(ca));
        }
        cas.addAll(extraCas);
        if (!cas.isEmpty()) {
            ssl.put("certificate_authorities", cas);
        }
        if (o.caSha256 != null && !o.caSha256.isBlank()) {
            ssl.put("ca_sha256", List.of(o.caSha256.trim()));
        }
        if (o.insecure) {
            ssl.put("verification_mode", "none");
        }
        clientCertificate(o, ssl, warnings);
        if (o.proxyUrl != null && o.proxyDisabled) {
            throw new UserError("--proxy-url and --proxy-disabled contradict each other; give one");
        }
        return new FleetConnection(List.of(o.url), ssl, o.proxyUrl, o.proxyDisabled);
    }

    private static void clientCertificate(EnrollOptions o, Map<String, Object> ssl, PrintWriter warnings) {
        Path key = null;
        Path passphrase = o.agentCertKeyPassphrase;
        if (o.agentCertKey.size() > 2) {
            throw new UserError("--elastic-agent-cert-key given " + o.agentCertKey.size() + " times; give the key once"
                    + " and its passphrase file with --elastic-agent-cert-key-passphrase");
        }
        if (!o.agentCertKey.isEmpty()) {
            key = o.agentCertKey.get(0);
        }
        if (o.agentCertKey.size() == 2) {
            Path second = o.agentCertKey.get(1);
            if (isPrivateKeyPem(second)) {
                throw new UserError("--elastic-agent-cert-key given twice with two keys (" + key + " and " + second
                        + "); give one key, and its passphrase file with --elastic-agent-cert-key-passphrase");
            }
            if (passphrase != null) {
                throw new UserError("--elastic-agent-cert-key given twice and --elastic-agent-cert-key-passphrase too;"
                        + " give the passphrase file once, with --elastic-agent-cert-key-passphrase");
            }
            warnings.println("warning: --elastic-agent-cert-key given twice; reading the second value (" + second
                    + ") as --elastic-agent-cert-key-passphrase, as Elastic's mutual TLS guide means it");
            passphrase = second;
        }
        if (o.agentCert == null && key == null) {
            if (passphrase != null) {
                throw new UserError("--elastic-agent-cert-key-passphrase needs --elastic-agent-cert and --elastic-agent-cert-key");
            }
            return;
        }
        if (o.agentCert == null || key == null) {
            throw new UserError("mutual TLS needs both --elastic-agent-cert and --elastic-agent-cert-key (got only "
                    + (o.agentCert == null ? "the key" : "the certificate") + ")");
        }
        ssl.put("certificate", existing(o.agentCert, "--elastic-agent-cert"));
        ssl.put("key", existing(key, "--elastic-agent-cert-key"));
        if (passphrase != null) {
            ssl.put("key_passphrase_path", existing(passphrase, "--elastic-agent-cert-key-passphrase"));
        }
    }

    private static String existing(Path p, String flag) {
        if (!Files.isReadable(p)) {
            throw new UserError(flag + ": file " + p + " does not exist or is not readable");
        }
        return p.toAbsolutePath().toString();
    }

    static String readCa(Path ca) {
        String text;
        try {
            text = Files.readString(ca, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UserError("--certificate-authorities: cannot read " + ca + " (" + e.getMessage()
                    + "); give the PEM file of the CA that signed Fleet Server's certificate");
        }
        try {
            Pem.parseCertificates(text, ca.toString());
        } catch (PkiException e) {
            throw new UserError("--certificate-authorities: " + e.getMessage());
        }
        return ca.toAbsolutePath().toString();
    }

    private static boolean isPrivateKeyPem(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.ISO_8859_1);
            return s.contains("PRIVATE KEY-----");
        } catch (IOException e) {
            return false;
        }
    }
}
