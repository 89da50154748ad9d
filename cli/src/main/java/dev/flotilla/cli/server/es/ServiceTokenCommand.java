package dev.flotilla.cli.server.es;

import picocli.CommandLine.Command;

/** {@code flotilla fleet service-token}: service tokens for the Fleet Server's connection to Elasticsearch. */
@Command(name = "service-token", mixinStandardHelpOptions = true,
        description = "Service tokens for the elastic/fleet-server account (what --fleet-server-service-token takes)",
        subcommands = ServiceTokenCreateCommand.class)
public final class ServiceTokenCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "missing subcommand: create");
    }
}
