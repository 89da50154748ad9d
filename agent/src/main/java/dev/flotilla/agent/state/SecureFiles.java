package dev.flotilla.agent.state;

import dev.flotilla.agent.AgentException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files that hold secrets: mode 600 from the first byte, fsynced, replaced atomically. */
public final class SecureFiles {

    private SecureFiles() {
    }

    /** Creates {@code dir} (and parents) with mode 700 when missing. */
    public static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new AgentException("cannot create directory " + dir + ": " + e.getMessage()
                    + "; check that the parent is writable by this user (--base-path)", e);
        }
    }

    /** Writes {@code bytes} to {@code file} atomically (temp file + rename), mode 600, fsynced. */
    public static void writePrivate(Path file, byte[] bytes) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE))) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new AgentException("cannot write " + file + ": a stale " + tmp + " is in the way; remove it", e);
        } catch (IOException e) {
            throw new AgentException("cannot write " + file + ": " + e.getMessage()
                    + "; check free space and permissions of " + dir, e);
        }
    }

    /** Makes a rename or delete in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open directories; the data itself was already forced.
        }
    }
}
