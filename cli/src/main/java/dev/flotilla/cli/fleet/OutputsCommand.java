package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla fleet outputs list|show|set|add|delete}: where agents send data and how they trust it. */
@Command(name = "outputs", mixinStandardHelpOptions = true,
        description = "Elasticsearch outputs: hosts, CA fingerprint or certificates, Advanced YAML, credentials.")
public final class OutputsCommand implements Runnable {
    private static final String PATH = "/api/fleet/outputs";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "outputs needs list, show, set, add or delete");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the outputs.")
    int list(@Mixin ConnectionOptions c) {
        Output.list(spec.commandLine().getOut(), c.json, c.client().get(PATH), new Table()
                .field("ID", "id").field("NAME", "name").field("DEFAULT", "is_default").field("HOSTS", "hosts")
                .field("CA_FINGERPRINT", "ca_trusted_fingerprint")
                .column("ADVANCED_YAML", n -> n.hasNonNull("config_yaml") ? "yes" : "-"));
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one output (secrets masked).")
    int show(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID", defaultValue = "",
            description = "Output id (default: the default output)") String id) {
        ManagementClient client = c.client();
        Output.item(spec.commandLine().getOut(), c.json, client.get(PATH + "/" + target(client, id)), null);
        return 0;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change the default output (or --id); only the settings given change.")
    int set(@Mixin ConnectionOptions c, @Mixin OutputFlags flags,
            @Option(names = "--id", description = "The output to change (default: the default output)") String id) {
        ManagementClient client = c.client();
        JsonNode reply = client.put(PATH + "/" + target(client, id), flags.body());
        Output.item(spec.commandLine().getOut(), c.json, reply, "Output saved; policies using it have a new"
                + " revision.");
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add an output.")
    int add(@Mixin ConnectionOptions c, @Mixin OutputFlags flags, @Option(names = "--id", paramLabel = "ID", description = "Id to create it with (default: a new UUID)") String id) {
        ObjectNode body = flags.body().put("type", "elasticsearch");
        if (id != null) {
            body.put("id", id);
        }
        Output.item(spec.commandLine().getOut(), c.json, c.client().post(PATH, body), "Output added.");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an output that no policy uses.")
    int delete(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().delete(PATH + "/" + id), "Deleted.");
        return 0;
    }

    private static String target(ManagementClient client, String id) {
        if (id != null && !id.isBlank()) {
            return id;
        }
        for (JsonNode o : client.get(PATH).path("items")) {
            if (o.path("is_default").asBoolean()) {
                return o.path("id").asText();
            }
        }
        throw new dev.flotilla.cli.UserError("there is no default output; add one with 'flotilla fleet outputs add"
                + " --default ...'");
    }
}
