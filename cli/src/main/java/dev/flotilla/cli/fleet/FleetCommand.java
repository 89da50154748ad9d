package dev.flotilla.cli.fleet;

import dev.flotilla.cli.server.es.ServiceTokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flotilla fleet}: the "Kibana > Fleet" side, through the Fleet Server's management API. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {
                "Manage Fleet settings, outputs, agent policies, enrollment tokens and",
                "agents through the Fleet Server's management API (tables; --json for scripts).",
                "",
                "  flotilla fleet server-hosts set --url=https://192.0.2.1:8220",
                "  flotilla fleet outputs set --hosts=https://192.0.2.0:9200 \\",
                "      --ca-trusted-fingerprint=<64 hex digits>",
                "  flotilla fleet tokens create --policy=default-policy --expires=24h",
                "",
                "The API URL and admin key come from --data-dir (management.json, admin.key;",
                "default ~/.flotilla/server), or --management-url and --admin-key-file, or",
                "FLOTILLA_FLEET_URL and FLOTILLA_ADMIN_KEY. The web page is at <url>/app/."},
        subcommands = {ServerHostsCommand.class, OutputsCommand.class, PoliciesCommand.class, TokensCommand.class,
                AgentsCommand.class,
                ServiceTokenCommand.class})
public final class FleetCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "fleet needs a subcommand: server-hosts, outputs, policies, tokens, agents or service-token");
    }
}
