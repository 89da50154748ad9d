package dev.flotilla.agent.install;

import dev.flotilla.agent.AgentPaths;

/** Runs the installed agent as a service of the host (systemd), or says how to start it by hand. */
public interface ServiceManager {

    /** Installs and starts the service; returns a line for the user saying what happened. */
    String installAndStart(AgentPaths paths);

    /** Stops and removes the service; returns a line saying what happened. */
    String stopAndRemove(AgentPaths paths);

    /** "active", "inactive", ... or a sentence saying there is no service. */
    String describe(AgentPaths paths);

    /** systemd when it runs on this host ({@code /run/systemd/system} exists), else manual start. */
    static ServiceManager detect() {
        Systemd systemd = Systemd.host();
        return systemd.isRunning() ? systemd : new ManualStart();
    }
}
