package dev.flotilla.cli.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flotilla fleet server-hosts list|set|add|delete}: the URLs agents reach Fleet Server at. */
@Command(name = "server-hosts", mixinStandardHelpOptions = true,
        description = "Fleet Server hosts: the URLs agents use to reach Fleet Server (sent in every policy).")
public final class ServerHostsCommand implements Runnable {
    private static final String PATH = "/api/fleet/fleet_server_hosts";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "server-hosts needs list, set, add or delete");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the Fleet Server hosts.")
    int list(@Mixin ConnectionOptions c) {
        Output.list(spec.commandLine().getOut(), c.json, c.client().get(PATH), new Table()
                .field("ID", "id").field("NAME", "name").field("DEFAULT", "is_default").field("URLS", "host_urls"));
        return 0;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set the URLs of the default Fleet Server host (or of --id); creates it"
            + " when there is none.")
    int set(@Mixin ConnectionOptions c,
            @Option(names = "--url", required = true, split = ",", paramLabel = "URL",
                    description = "Fleet Server URL(s), e.g. https://192.0.2.1:8220") List<String> urls,
            @Option(names = "--id", description = "The host to change (default: the default host)") String id,
            @Option(names = "--name", description = "Its name") String name,
            @Option(names = "--ssl-certificate-authorities", split = ",", paramLabel = "PATH",
                    description = "CA file(s) on the agents' hosts for verifying Fleet Server (fleet.ssl)")
            List<String> cas) {
        ManagementClient client = c.client();
        String target = id;
        if (target == null) {
            for (JsonNode h : client.get(PATH).path("items")) {
                if (h.path("is_default").asBoolean()) {
                    target = h.path("id").asText();
                }
            }
        }
        ObjectNode body = body(urls, name, cas);
        JsonNode reply;
        if (target == null) {
            body.put("name", name == null ? "default" : name).put("is_default", true);
            reply = client.post(PATH, body);
        } else {
            reply = client.put(PATH + "/" + target, body);
        }
        Output.item(spec.commandLine().getOut(), c.json, reply, "Fleet Server host saved; policies using it have a"
                + " new revision.");
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add another Fleet Server host.")
    int add(@Mixin ConnectionOptions c,
            @Option(names = "--name", required = true) String name,
            @Option(names = "--url", required = true, split = ",", paramLabel = "URL") List<String> urls,
            @Option(names = "--id", paramLabel = "ID", description = "Id to create it with (default: a new UUID)")
            String id,
            @Option(names = "--default", description = "Make it the default host") boolean makeDefault,
            @Option(names = "--ssl-certificate-authorities", split = ",", paramLabel = "PATH") List<String> cas) {
        ObjectNode body = body(urls, name, cas).put("is_default", makeDefault);
        if (id != null) {
            body.put("id", id);
        }
        Output.item(spec.commandLine().getOut(), c.json, c.client().post(PATH, body), "Fleet Server host added.");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a Fleet Server host.")
    int delete(@Mixin ConnectionOptions c, @Parameters(paramLabel = "ID") String id) {
        Output.item(spec.commandLine().getOut(), c.json, c.client().delete(PATH + "/" + id), "Deleted.");
        return 0;
    }

    private static ObjectNode body(List<String> urls, String name, List<String> cas) {
        ObjectNode body = ManagementClient.JSON.createObjectNode();
        var arr = body.putArray("host_urls");
        urls.forEach(arr::add);
        if (name != null) {
            body.put("name", name);
        }
        if (cas != null) {
            var list = body.putObject("ssl").putArray("certificate_authorities");
            cas.stream().filter(s -> !s.isBlank()).forEach(list::add);
            if (list.isEmpty()) {
                body.putNull("ssl");
            }
        }
        return body;
    }
}
