package dev.flotilla.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Writes files that hold key material: created new (never overwritten), readable by the owner only (mode 600). */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code file} with mode 600 and writes {@code content}; fails if it exists. */
    public static void writeNew(Path file, byte[] content) {
        try (OutputStream out = openNew(file)) {
            out.write(content);
        } catch (IOException e) {
            throw writeFailed(file, e);
        }
    }

    /**
     * Opens a new file with mode 600 for writing; fails if it exists. Parent directories are created.
     *
     * @throws PkiException naming the file when it exists or cannot be created
     */
    public static OutputStream openNew(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            FileChannel ch = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    attrs);
            if (posix) {
                Files.setPosixFilePermissions(file, OWNER_ONLY); // not subject to the umask
            }
            return Channels.newOutputStream(ch);
        } catch (IOException e) {
            throw writeFailed(file, e);
        }
    }

    private static PkiException writeFailed(Path file, IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return new PkiException(file + " already exists and will not be overwritten; move it away or choose "
                    + "another output file (--out)", e);
        }
        if (e instanceof NoSuchFileException) {
            return new PkiException("cannot create " + file + ": its directory does not exist or is not writable", e);
        }
        return new PkiException("cannot write " + file + ": " + e.getMessage()
                + "; check that its directory exists and is writable", e);
    }
}
