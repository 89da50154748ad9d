package dev.flotilla.agent.state;

import dev.flotilla.agent.AgentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The agent's vault: one 256-bit AES key in a file of mode 600 inside a directory of mode 700. The key is made
 * on first use and never leaves the file.
 */
public final class VaultKey {
    private static final int KEY_BYTES = 32;

    private VaultKey() {
    }

    /** Loads the key at {@code file}, creating it (and a mode-700 parent) when missing. */
    public static SecretKey loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return load(file);
        }
        SecureFiles.createPrivateDirectory(file.toAbsolutePath().getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        SecureFiles.writePrivate(file, key);
        return new SecretKeySpec(key, "AES");
    }

    /** Loads the key at {@code file}; refuses a key that others can read. */
    public static SecretKey load(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new AgentException("vault key " + file + " is readable by other users; run `chmod 600 " + file
                        + "` (and consider re-enrolling with --force, the key may have leaked)");
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != KEY_BYTES) {
                throw new AgentException("vault key " + file + " is " + key.length + " bytes, expected " + KEY_BYTES
                        + "; the file is damaged: re-enroll the agent with --force");
            }
            return new SecretKeySpec(key, "AES");
        } catch (IOException e) {
            throw new AgentException("cannot read vault key " + file + ": " + e.getMessage()
                    + "; run the agent as the user that enrolled it", e);
        }
    }
}
