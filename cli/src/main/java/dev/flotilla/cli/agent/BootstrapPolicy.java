package dev.flotilla.cli.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.cli.UserError;
import dev.flotilla.server.policy.Policies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * The policy the agent's Fleet Server creates when {@code --fleet-server-policy} does not exist yet: the starter
 * policy whose default output is the {@code --fleet-server-es} cluster, trusting its CA the way the flags say
 * ({@code ssl.certificate_authorities} with the CA's PEM inline, so agents on other machines can use it, or
 * {@code ssl.ca_trusted_fingerprint}). Output credentials are the operator's to add ({@code flotilla fleet outputs}).
 */
final class BootstrapPolicy {
    static final String NO_ELASTICSEARCH = "http://localhost:9200";

    private BootstrapPolicy() {
    }

    static ObjectNode create(String fleetUrl, FleetServerOptions o) {
        ObjectNode doc = Policies.starter(List.of(fleetUrl), o.es == null ? NO_ELASTICSEARCH : o.es);
        ObjectNode output = (ObjectNode) doc.get("outputs").get("default");
        if (o.esCa == null && o.esCaTrustedFingerprint == null && !o.esInsecure) {
            return doc;
        }
        ObjectNode ssl = output.putObject("ssl");
        if (o.esCa != null) {
            try {
                ssl.putArray("certificate_authorities").add(Files.readString(o.esCa, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new UserError("--fleet-server-es-ca: cannot read " + o.esCa + ": " + e.getMessage(), e);
            }
        }
        if (o.esCaTrustedFingerprint != null) {
            ssl.put("ca_trusted_fingerprint", o.esCaTrustedFingerprint.strip());
        }
        if (o.esInsecure) {
            ssl.put("verification_mode", "none");
        }
        return doc;
    }
}
