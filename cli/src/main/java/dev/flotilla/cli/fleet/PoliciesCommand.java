package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla fleet policies list|show|create|update|delete}: agent policies. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = "Agent policies: each save is a new revision that enrolled agents receive at once.")
public final class PoliciesCommand implements Runnable {
    private static final String PATH = "/api/fleet/agent_policies";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "policies needs list, show, create, update or delete");
    }

    /** The settings of a policy as flags; only those given are sent. */
    public static final class PolicyFlags {
        @Option(names = "--name")
        String name;
        @Option(names = "--namespace", description = "Data stream namespace (lower case, no '-')")
        String namespace;
        @Option(names = "--description")
        String description;
        @Option(names = "--monitoring", split = ",", paramLabel = "logs,metrics",
                description = "Agent monitoring to collect (empty: none)")
        java.util.List<String> monitoring;
        @Option(names = "--output", paramLabel = "ID", description = "Data output id (empty: the default output)")
        String output;
        @Option(names = "--monitoring-output", paramLabel = "ID")
        String monitoringOutput;
        @Option(names = "--fleet-server-host", paramLabel = "ID", description = "Fleet Server host id (empty: the"
                + " default host)")
        String fleetServerHost;

        ObjectNode body() {
            ObjectNode b = ManagementClient.JSON.createObjectNode();
            put(b, "name", name);
            put(b, "namespace", namespace);
            put(b, "description", description);
            if (monitoring != null) {
                var arr = b.putArray("monitoring_enabled");
                monitoring.stream().filter(s -> !s.isBlank()).forEach(arr::add);
            }
            ref(b, "data_output_id", output);
            ref(b, "monitoring_output_id", monitoringOutput);
            ref(b, "fleet_server_host_id", fleetServerHost);
            return b;
        }

        private static void put(ObjectNode b, String field, String v) {
            if (v != null) {
                b.put(field, v);
            }
        }

        private static void ref(ObjectNode b, String field, String v) {
            if (v != null) {
                if (v.isBlank()) {
                    b.putNull(field);
                } else {
                    b.put(field, v);
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List agent policies with their revision and agent count.")
    int list(@Mixin ConnectionOptions c) {
        Output.list(spec.commandLine().getOut(), c.json, c.client().get(PATH + "?perPage=10000"), new Table()
                .field("ID", "id").field("NAME", "name").field("NAMESPACE", "namespace")
                .field("REVISION", "revision").field("AGENTS", "agents"));
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a policy; --full shows the document agents receive.")
    int show(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id,
             @Option(names = "--full", description = "The composed policy agents receive (secrets masked)")
             boolean full) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().get(PATH + "/" + id + (full ? "/full" : "")),
                null);
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an agent policy.")
    int create(@Mixin ConnectionOptions c, @Mixin PolicyFlags flags, @Option(names = "--id", paramLabel = "ID", description = "Id to create it with (default: a new UUID)") String id) {
        ObjectNode body = flags.body();
        if (id != null) {
            body.put("id", id);
        }
        if (!body.has("name")) {
            body.put("name", id != null ? id : "");
        }
        Output.item(spec.commandLine().getOut(), c.json, c.client().post(PATH, body), "Policy created.");
        return 0;
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change an agent policy (only the settings given).")
    int update(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id, @Mixin PolicyFlags flags) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().put(PATH + "/" + id, flags.body()),
                "Policy saved.");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a policy without agents (its enrollment tokens are revoked).")
    int delete(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().delete(PATH + "/" + id), "Deleted.");
        return 0;
    }
}
