package dev.flotilla.cli.agent;

import dev.flotilla.agent.AgentPaths;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --base-path}: where the agent is (or will be) installed. */
public final class BasePathOption {
    @Option(names = "--base-path", paramLabel = "<dir>",
            description = "Directory of the installed agent (default: ${DEFAULT-VALUE})", defaultValue = "/opt/Flotilla/Agent")
    Path basePath;

    AgentPaths paths() {
        return new AgentPaths(basePath == null ? AgentPaths.DEFAULT_BASE : basePath);
    }
}
