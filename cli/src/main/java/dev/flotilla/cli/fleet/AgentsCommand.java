package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla fleet agents list|show|unenroll|reassign|log-level}. */
@Command(name = "agents", mixinStandardHelpOptions = true,
        description = "Enrolled agents: status from their check-ins, unenroll, reassign, log level.")
public final class AgentsCommand implements Runnable {
    private static final String PATH = "/api/fleet/agents";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "agents needs list, show, unenroll, reassign or log-level");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List agents (status: online, offline, unhealthy, updating, unenrolled).")
    int list(@Mixin ConnectionOptions c,
             @Option(names = "--policy", paramLabel = "ID") String policy,
             @Option(names = "--status", split = ",", paramLabel = "STATUS") List<String> status,
             @Option(names = "--tag", split = ",", paramLabel = "TAG") List<String> tags,
             @Option(names = "--show-inactive", description = "Include unenrolled agents") boolean inactive,
             @Option(names = "--page", defaultValue = "1") int page,
             @Option(names = "--per-page", defaultValue = "50") int perPage) {
        StringBuilder q = new StringBuilder("?page=" + page + "&perPage=" + perPage);
        param(q, "policy_id", policy);
        param(q, "status", status == null ? null : String.join(",", status));
        param(q, "tags", tags == null ? null : String.join(",", tags));
        if (inactive) {
            q.append("&showInactive=true");
        }
        Output.list(spec.commandLine().getOut(), c.json, c.client().get(PATH + q), new Table()
                .field("ID", "id").field("HOST", "hostname").field("STATUS", "status").field("POLICY", "policy_id")
                .field("REV", "policy_revision").field("LAST_CHECKIN", "last_checkin").field("TAGS", "tags"));
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one agent.")
    int show(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().get(PATH + "/" + id), null);
        return 0;
    }

    @Command(name = "unenroll", mixinStandardHelpOptions = true, description = "Unenroll an agent (it is told at its next check-in); --revoke makes"
            + " its key stop working at once.")
    int unenroll(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id,
                 @Option(names = "--revoke") boolean revoke) {
        ObjectNode body = ManagementClient.JSON.createObjectNode().put("revoke", revoke);
        Output.item(spec.commandLine().getOut(), c.json, c.client().post(PATH + "/" + id + "/unenroll", body),
                revoke ? "Agent unenrolled; its key is revoked." : "Unenroll sent to the agent.");
        return 0;
    }

    @Command(name = "reassign", mixinStandardHelpOptions = true, description = "Move an agent to another policy.")
    int reassign(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id,
                 @Option(names = "--policy", required = true, paramLabel = "ID") String policy) {
        ObjectNode body = ManagementClient.JSON.createObjectNode().put("policy_id", policy);
        Output.item(spec.commandLine().getOut(), c.json, c.client().post(PATH + "/" + id + "/reassign", body),
                "Agent reassigned.");
        return 0;
    }

    @Command(name = "log-level", mixinStandardHelpOptions = true, description = "Set an agent's log level (trace, debug, info, warning, error).")
    int logLevel(@Mixin ConnectionOptions c, @Parameters(index = "0", paramLabel = "ID") String id,
                 @Parameters(index = "1", paramLabel = "LEVEL") String level) {
        ObjectNode body = ManagementClient.JSON.createObjectNode();
        body.putObject("action").put("type", "SETTINGS").putObject("data").put("log_level", level);
        Output.item(spec.commandLine().getOut(), c.json, c.client().post(PATH + "/" + id + "/actions", body),
                "Log level sent to the agent.");
        return 0;
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value != null && !value.isBlank()) {
            q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
