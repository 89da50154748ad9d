package dev.flotilla.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.cli.UserError;
import dev.flotilla.cli.fleet.ManagementClient;
import dev.flotilla.server.management.ManagementServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Points the default output at the quickstart's Elasticsearch through the management API, as
 * {@code flotilla fleet outputs set} would: its URL, the quickstart CA's fingerprint and the output user (the
 * password is sealed by the management layer and shown masked).
 */
final class QuickstartOutput {
    private static final String PATH = "/api/fleet/outputs";

    private QuickstartOutput() {
    }

    /** Sets the default output unless it already says all this; returns whether it changed. */
    static boolean pointAt(ManagementServer management, Path ca, QuickstartElasticsearch es) {
        ManagementClient client = new ManagementClient(management.url().toString(), adminKey(management), ca);
        JsonNode current = null;
        for (JsonNode o : client.get(PATH).path("items")) {
            if (o.path("is_default").asBoolean()) {
                current = o;
            }
        }
        if (current == null) {
            throw new UserError("the Fleet Server has no default output to point at Elasticsearch; add one with"
                    + " 'flotilla fleet outputs add --default ...'");
        }
        String url = es.url().toString();
        boolean same = current.path("hosts").size() == 1 && url.equals(current.path("hosts").get(0).asText())
                && es.caFingerprint().equals(current.path("ca_trusted_fingerprint").asText())
                && QuickstartElasticsearch.OUTPUT_USER.equals(current.path("username").asText())
                && current.hasNonNull("password");
        if (same && !es.passwordCreated()) {
            return false;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("hosts").add(url);
        body.put("ca_trusted_fingerprint", es.caFingerprint());
        body.put("username", QuickstartElasticsearch.OUTPUT_USER);
        body.put("password", es.outputPassword());
        client.put(PATH + "/" + current.path("id").asText(), body);
        return true;
    }

    private static String adminKey(ManagementServer management) {
        try {
            return Files.readString(management.adminKeyFile(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UserError("cannot read the admin key " + management.adminKeyFile() + ": " + e.getMessage());
        }
    }
}
