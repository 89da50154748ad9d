package dev.flotilla.agent.install;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentPaths;
import dev.flotilla.agent.state.SecureFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The files of an installed agent under its base path: the program ({@code bin/flotilla.jar} and a launcher),
 * the config file, the private data directory. {@link #remove()} deletes exactly what an install made.
 */
public final class Installation {
    private final AgentPaths paths;

    public Installation(AgentPaths paths) {
        this.paths = paths;
    }

    public boolean exists() {
        return Files.exists(paths.configFile());
    }

    /**
     * Lays out the base path: copies {@code programJar} (when the CLI runs from a jar) with a launcher, writes the
     * config file, creates the data directory (mode 700). Refuses an existing installation unless {@code force}.
     */
    public String create(Optional<Path> programJar, String fleetUrl, boolean force) {
        if (exists() && !force) {
            throw new AgentException("an agent is already installed at " + paths.base() + "; uninstall it first"
                    + " (`flotilla agent uninstall --base-path " + paths.base() + "`) or pass --force");
        }
        try {
            Files.createDirectories(paths.binDir());
            Files.createDirectories(paths.logsDir());
            SecureFiles.createPrivateDirectory(paths.dataDir());
            String note;
            if (programJar.isPresent() && Files.isRegularFile(programJar.get())
                    && !programJar.get().toAbsolutePath().equals(paths.jar())) {
                Files.copy(programJar.get(), paths.jar(), StandardCopyOption.REPLACE_EXISTING);
                note = "copied " + programJar.get() + " to " + paths.jar();
            } else {
                note = "not running from a jar: " + paths.jar() + " not copied (build with `mvn package`)";
            }
            Files.writeString(paths.launcher(), "#!/bin/sh\n# Flotilla agent launcher (written by flotilla agent install)\n"
                    + "exec java ${FLOTILLA_JAVA_OPTS:--XX:+UseSerialGC} -jar '" + paths.jar() + "' \"$@\"\n",
                    StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(paths.launcher(), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(paths.configFile(), "# Flotilla agent; the enrollment itself is encrypted in "
                    + paths.stateFile() + "\n"
                    + "agent:\n"
                    + "  base_path: " + paths.base() + "\n"
                    + "  installed_at: " + Instant.now() + "\n"
                    + "fleet:\n"
                    + "  url: " + (fleetUrl == null ? "" : fleetUrl) + "\n", StandardCharsets.UTF_8);
            return note;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AgentException("cannot install into " + paths.base() + ": permission denied on " + e.getFile()
                    + "; run as root (sudo) or choose another --base-path", e);
        } catch (IOException e) {
            throw new AgentException("cannot install into " + paths.base() + ": " + e
                    + "; run as a user that may write there (sudo) or choose another --base-path", e);
        }
    }

    /** Deletes the base path; refuses a directory that is not an agent installation. */
    public void remove() {
        if (!Files.isDirectory(paths.base())) {
            return;
        }
        if (!exists() && !Files.exists(paths.stateFile())) {
            throw new AgentException(paths.base() + " does not look like a Flotilla agent installation (no "
                    + paths.configFile().getFileName() + "); refusing to delete it. Check --base-path");
        }
        try {
            Files.walkFileTree(paths.base(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new AgentException("cannot remove " + paths.base() + ": " + e.getMessage(), e);
        }
    }
}
