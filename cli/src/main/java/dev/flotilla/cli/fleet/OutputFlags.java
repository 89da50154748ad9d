package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The settings of an output as flags; only those given are sent (an empty value clears a setting). Secrets are
 * read from files so they stay out of shell history and process lists.
 */
public final class OutputFlags {
    @Option(names = "--name", description = "Output name")
    String name;

    @Option(names = "--hosts", split = ",", paramLabel = "URL", description = "Elasticsearch URL(s), e.g."
            + " https://192.0.2.0:9200")
    List<String> hosts;

    @Option(names = "--ca-trusted-fingerprint", paramLabel = "HEX", description = "SHA-256 of the Elasticsearch CA"
            + " certificate (64 hex digits, colons allowed; empty clears)")
    String fingerprint;

    @Option(names = "--ca-sha256", paramLabel = "BASE64", description = "Pin of a public key (base64 SHA-256 of"
            + " the SPKI; empty clears)")
    String caSha256;

    @Option(names = "--ssl-certificate-authorities", split = ",", paramLabel = "PATH",
            description = "CA file(s) on the agents' hosts (ssl.certificate_authorities; empty clears ssl)")
    List<String> cas;

    @Option(names = "--ssl-verification-mode", paramLabel = "MODE", description = "full, strict, certificate or"
            + " none")
    String verificationMode;

    @Option(names = "--config-yaml", paramLabel = "YAML", description = "Advanced YAML, e.g."
            + " 'ssl.certificate_authorities: [\"/path/to/elasticsearch-ca.crt\"]' (empty clears)")
    String configYaml;

    @Option(names = "--config-yaml-file", paramLabel = "FILE", description = "Advanced YAML from a file (e.g. with"
            + " a pasted PEM certificate)")
    Path configYamlFile;

    @Option(names = "--api-key-file", paramLabel = "FILE", description = "File holding the API key (id:key) agents"
            + " write with")
    Path apiKeyFile;

    @Option(names = "--username", description = "User agents write as (with --password-file)")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding that user's password")
    Path passwordFile;

    @Option(names = "--default", description = "Make this the default output")
    boolean makeDefault;

    ObjectNode body() {
        ObjectNode b = ManagementClient.JSON.createObjectNode();
        if (name != null) {
            b.put("name", name);
        }
        if (hosts != null) {
            var arr = b.putArray("hosts");
            hosts.forEach(arr::add);
        }
        text(b, "ca_trusted_fingerprint", fingerprint);
        text(b, "ca_sha256", caSha256);
        if (configYaml != null && configYamlFile != null) {
            throw new UserError("give --config-yaml or --config-yaml-file, not both");
        }
        text(b, "config_yaml", configYamlFile != null ? read(configYamlFile, "--config-yaml-file") : configYaml);
        text(b, "username", username);
        if (apiKeyFile != null) {
            b.put("api_key", read(apiKeyFile, "--api-key-file").trim());
        }
        if (passwordFile != null) {
            b.put("password", read(passwordFile, "--password-file").trim());
        }
        if (cas != null || verificationMode != null) {
            ObjectNode ssl = b.putObject("ssl");
            if (cas != null) {
                var list = ssl.putArray("certificate_authorities");
                cas.stream().filter(s -> !s.isBlank()).forEach(list::add);
                if (list.isEmpty()) {
                    ssl.remove("certificate_authorities");
                }
            }
            if (verificationMode != null && !verificationMode.isBlank()) {
                ssl.put("verification_mode", verificationMode);
            }
            if (ssl.isEmpty()) {
                b.putNull("ssl");
            }
        }
        if (makeDefault) {
            b.put("is_default", true);
        }
        return b;
    }

    private static void text(ObjectNode b, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            b.putNull(field);
        } else {
            b.put(field, value);
        }
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + flag + "): " + e.getMessage());
        }
    }
}
