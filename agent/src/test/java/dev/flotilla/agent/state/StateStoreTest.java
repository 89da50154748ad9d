package dev.flotilla.agent.state;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.fleet.FleetConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateStoreTest {
    @TempDir
    Path dir;

    private AgentState sample() {
        FleetConnection c = new FleetConnection(List.of("https://fleet.example:8220"),
                Map.of("certificate_authorities", List.of("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")),
                null, false);
        return AgentState.enrolled(new Enrollment("agent-1", "key-id", "c2VjcmV0LWFjY2Vzcy1rZXk=", "policy-1", c,
                List.of("a", "b"), "2026-01-01T00:00:00Z")).withAckToken("tok-7");
    }

    @Test
    void savesEncryptedAndReloadsWithVaultKeyOfMode600() throws Exception {
        Path file = dir.resolve("data/state.enc");
        Path key = dir.resolve("data/vault/key");
        new StateStore(file, key).save(sample());

        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(raw).startsWith("FLT1").doesNotContain("agent-1").doesNotContain("c2VjcmV0LWFjY2Vzcy1rZXk=");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        assertThat(Files.size(key)).isEqualTo(32);

        AgentState back = new StateStore(file, key).load().orElseThrow();
        assertThat(back).isEqualTo(sample());
        assertThat(back.toString()).doesNotContain("c2VjcmV0");
    }

    @Test
    void tamperedFileOrOtherKeyIsRefusedWithAFix() throws Exception {
        Path file = dir.resolve("state.enc");
        Path key = dir.resolve("vault/key");
        StateStore store = new StateStore(file, key);
        store.save(sample());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(store::load).isInstanceOf(AgentException.class)
                .hasMessageContaining("does not decrypt").hasMessageContaining("--force");

        store.save(sample());
        Files.delete(key);
        assertThatThrownBy(store::load).hasMessageContaining("vault key").hasMessageContaining("missing");
    }

    @Test
    void keyReadableByOthersIsRefused() throws Exception {
        Path key = dir.resolve("vault/key");
        StateStore store = new StateStore(dir.resolve("state.enc"), key);
        store.save(sample());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(store::load).hasMessageContaining("chmod 600");
    }

    @Test
    void deleteRemovesCredentials() {
        StateStore store = new StateStore(dir.resolve("state.enc"), dir.resolve("vault/key"));
        store.save(sample());
        store.delete();
        assertThat(store.load()).isEmpty();
        assertThat(dir.resolve("vault/key")).doesNotExist();
    }
}
