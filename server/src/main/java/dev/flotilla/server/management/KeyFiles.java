package dev.flotilla.server.management;

import dev.flotilla.pki.PkiException;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management API's own key files (admin key, secrets key): read, or created on first start through pki's
 * {@link PrivateFiles} (mode 600 from the start), and tightened when someone loosened them. Content never logged.
 */
final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /** The file's text; when it does not exist, creates it mode 600 with {@code initial}. */
    static String readOrCreate(Path file, Supplier<String> initial) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                try {
                    PrivateFiles.writeNew(file, initial.get().getBytes(StandardCharsets.UTF_8));
                    LOG.info("created {} (mode 600)", file);
                } catch (PkiException e) {
                    if (!(e.getCause() instanceof FileAlreadyExistsException)) {
                        throw e;
                    }
                    // another process made it first: use theirs
                }
            }
            tighten(file);
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage()
                    + "; check that the data directory is writable by the server's user", e);
        }
    }

    private static void tighten(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                LOG.warn("{} was readable by others ({}); setting mode 600", file,
                        PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: nothing to tighten
        }
    }
}
