package dev.flotilla.agent;

import java.nio.file.Path;

/** Where an installed (or enrolled) agent keeps its files under its base path. */
public record AgentPaths(Path base) {
    /** The default base path of {@code flotilla agent install}. */
    public static final Path DEFAULT_BASE = Path.of("/opt/Flotilla/Agent");

    public AgentPaths {
        base = base.toAbsolutePath().normalize();
    }

    public Path configFile() {
        return base.resolve("flotilla-agent.yml");
    }

    public Path binDir() {
        return base.resolve("bin");
    }

    public Path jar() {
        return binDir().resolve("flotilla.jar");
    }

    public Path launcher() {
        return binDir().resolve("flotilla");
    }

    public Path dataDir() {
        return base.resolve("data");
    }

    public Path stateFile() {
        return dataDir().resolve("state.enc");
    }

    public Path vaultKey() {
        return dataDir().resolve("vault").resolve("key");
    }

    /** One disk queue per output under here: {@code data/queue/<output name>/}. */
    public Path queueDir() {
        return dataDir().resolve("queue");
    }

    public Path registryFile() {
        return dataDir().resolve("registry.json");
    }

    public Path fleetServerDir() {
        return dataDir().resolve("fleet-server");
    }

    public Path logsDir() {
        return base.resolve("logs");
    }

    public dev.flotilla.agent.state.StateStore stateStore() {
        return new dev.flotilla.agent.state.StateStore(stateFile(), vaultKey());
    }
}
