package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla fleet tokens list|create|revoke}: enrollment tokens. */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Enrollment tokens: bound to a policy, optional expiry, shown once, revocable.")
public final class TokensCommand implements Runnable {
    private static final String PATH = "/api/fleet/enrollment_api_keys";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "tokens needs list, create or revoke");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List enrollment tokens (never the token text).")
    int list(@Mixin ConnectionOptions c, @Option(names = "--policy", paramLabel = "ID") String policy) {
        String q = "?perPage=10000" + (policy != null ? "&policy_id=" + java.net.URLEncoder.encode(policy,
                java.nio.charset.StandardCharsets.UTF_8) : "");
        Output.list(spec.commandLine().getOut(), c.json, c.client().get(PATH + q), new Table()
                .field("ID", "id").field("NAME", "name").field("POLICY", "policy_id")
                .column("STATE", n -> n.path("active").asBoolean() ? "active"
                        : n.path("revoked").asBoolean() ? "revoked" : "expired")
                .column("EXPIRES", n -> n.path("expire_at").asText("never")));
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token for a policy; prints it once.")
    int create(@Mixin ConnectionOptions c, @Option(names = "--policy", required = true, paramLabel = "ID") String policy,
               @Option(names = "--name", paramLabel = "NAME", description = "A name for the token (default: Default)")
               String name,
               @Option(names = "--expires", paramLabel = "DURATION", description = "e.g. 30m, 24h, 7d, or a time"
                       + " 2030-01-01T00:00:00Z (default: never)") String expires) {
        ObjectNode body = ManagementClient.JSON.createObjectNode().put("policy_id", policy);
        if (name != null) {
            body.put("name", name);
        }
        if (expires != null) {
            body.put("expiration", expires);
        }
        JsonNode reply = c.client().post(PATH, body);
        PrintWriter out = spec.commandLine().getOut();
        if (c.json) {
            Output.json(out, reply);
            return 0;
        }
        JsonNode item = reply.path("item");
        out.println("Enrollment token for policy " + item.path("policy_id").asText() + " (id "
                + item.path("id").asText() + (item.has("expire_at") ? ", expires " + item.path("expire_at").asText()
                : "") + "). It is shown only now:");
        out.println(item.path("api_key").asText());
        out.flush();
        return 0;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token: it can no longer enroll agents.")
    int revoke(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().delete(PATH + "/" + id), "Revoked.");
        return 0;
    }
}
