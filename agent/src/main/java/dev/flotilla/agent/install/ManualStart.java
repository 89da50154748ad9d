package dev.flotilla.agent.install;

import dev.flotilla.agent.AgentPaths;

/** Hosts without systemd: nothing to install; the user is told exactly how to start the agent. */
public final class ManualStart implements ServiceManager {

    public static String startCommand(AgentPaths paths) {
        return "flotilla agent run --base-path " + paths.base();
    }

    @Override
    public String installAndStart(AgentPaths paths) {
        return "systemd is not running on this host, so no service was installed; start the agent with: "
                + startCommand(paths);
    }

    @Override
    public String stopAndRemove(AgentPaths paths) {
        return "no service was installed (no systemd); stop a running `" + startCommand(paths) + "` yourself";
    }

    @Override
    public String describe(AgentPaths paths) {
        return "no service (systemd not running); run: " + startCommand(paths);
    }
}
