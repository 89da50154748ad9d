package dev.flotilla.agent.install;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.AgentPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstallationTest {
    @TempDir
    Path dir;

    @Test
    void placesProgramLauncherConfigAndPrivateDataThenRemovesThem() throws Exception {
        Path jar = Files.writeString(dir.resolve("flotilla-all.jar"), "jar bytes");
        AgentPaths paths = new AgentPaths(dir.resolve("opt/Flotilla/Agent"));
        Installation inst = new Installation(paths);
        assertThat(inst.create(Optional.of(jar), "https://fleet:8220", false)).contains("copied");
        assertThat(Files.readString(paths.jar())).isEqualTo("jar bytes");
        assertThat(Files.isExecutable(paths.launcher())).isTrue();
        assertThat(Files.readString(paths.launcher())).contains("-jar '" + paths.jar() + "'");
        assertThat(Files.readString(paths.configFile())).contains("url: https://fleet:8220");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.dataDir()))).isEqualTo("rwx------");

        assertThatThrownBy(() -> inst.create(Optional.of(jar), "https://fleet:8220", false))
                .isInstanceOf(AgentException.class).hasMessageContaining("already installed").hasMessageContaining("--force");
        inst.create(Optional.of(jar), "https://other:8220", true);
        assertThat(Files.readString(paths.configFile())).contains("https://other:8220");

        inst.remove();
        assertThat(paths.base()).doesNotExist();
        assertThat(dir.resolve("opt/Flotilla")).exists();
    }

    @Test
    void systemdUnitRunsTheAgentFromTheBasePathAndIsUsedOnlyWhereSystemdRuns() throws Exception {
        AgentPaths paths = new AgentPaths(dir.resolve("agent"));
        String unit = Systemd.unit(paths);
        assertThat(unit).contains("ExecStart=" + paths.launcher() + " agent run --base-path " + paths.base())
                .contains("Restart=always").contains("WantedBy=multi-user.target");
        assertThat(new Systemd(dir.resolve("no-systemd"), dir).isRunning()).isFalse();
        assertThat(new Systemd(Files.createDirectories(dir.resolve("run/systemd/system")), dir).isRunning()).isTrue();
        assertThat(new ManualStart().installAndStart(paths)).contains("flotilla agent run --base-path " + paths.base());
        assertThat(new Systemd(dir.resolve("no-systemd"), dir).describe(paths)).contains("not installed");
    }
}
