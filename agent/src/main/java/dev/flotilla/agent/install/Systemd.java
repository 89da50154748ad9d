package dev.flotilla.agent.install;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The agent as the systemd unit {@code flotilla-agent.service}. */
public final class Systemd implements ServiceManager {
    public static final String UNIT = "flotilla-agent.service";

    private final Path runDir;
    private final Path unitDir;

    Systemd(Path runDir, Path unitDir) {
        this.runDir = runDir;
        this.unitDir = unitDir;
    }

    static Systemd host() {
        return new Systemd(Path.of("/run/systemd/system"), Path.of("/etc/systemd/system"));
    }

    boolean isRunning() {
        return Files.isDirectory(runDir);
    }

    Path unitFile() {
        return unitDir.resolve(UNIT);
    }

    /** The unit text for an agent under {@code paths}. */
    static String unit(AgentPaths paths) {
        return "[Unit]\n"
                + "Description=Flotilla Agent (Fleet-managed)\n"
                + "After=network-online.target\n"
                + "Wants=network-online.target\n\n"
                + "[Service]\n"
                + "ExecStart=" + paths.launcher() + " agent run --base-path " + paths.base() + "\n"
                + "WorkingDirectory=" + paths.base() + "\n"
                + "Restart=always\n"
                + "RestartSec=10\n"
                + "UMask=0077\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    @Override
    public String installAndStart(AgentPaths paths) {
        try {
            Files.writeString(unitFile(), unit(paths), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentException("cannot write systemd unit " + unitFile() + ": " + e.getMessage()
                    + "; run install as root (sudo)", e);
        }
        systemctl("daemon-reload");
        systemctl("enable", "--now", UNIT);
        return "installed and started systemd service " + UNIT + " (" + unitFile() + ")";
    }

    @Override
    public String stopAndRemove(AgentPaths paths) {
        if (!Files.exists(unitFile())) {
            return "no systemd unit " + unitFile() + " to remove";
        }
        systemctl("disable", "--now", UNIT);
        try {
            Files.deleteIfExists(unitFile());
        } catch (IOException e) {
            throw new AgentException("cannot remove " + unitFile() + ": " + e.getMessage() + "; run as root (sudo)", e);
        }
        systemctl("daemon-reload");
        return "stopped and removed systemd service " + UNIT;
    }

    @Override
    public String describe(AgentPaths paths) {
        if (!Files.exists(unitFile())) {
            return "systemd: " + UNIT + " not installed";
        }
        return "systemd: " + UNIT + " " + systemctlQuiet("is-active", UNIT);
    }

    private static void systemctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("systemctl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AgentException("`" + String.join(" ", cmd) + "` failed: " + out
                        + "; see `journalctl -u " + UNIT + "`");
            }
        } catch (IOException e) {
            throw new AgentException("cannot run systemctl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while running systemctl", e);
        }
    }

    private static String systemctlQuiet(String... args) {
        List<String> cmd = new ArrayList<>(List.of("systemctl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
