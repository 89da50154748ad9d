package dev.flotilla.tls.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * The modification time, size and file key (inode) of a few files: cheap to take, and different after the file is
 * rewritten in place or replaced by a rename. A missing file has a stamp too, so its return counts as a change.
 */
public final class FileStamps {

    private final List<Path> files;
    private final List<String> stamps;

    private FileStamps(List<Path> files, List<String> stamps) {
        this.files = files;
        this.stamps = stamps;
    }

    public static FileStamps of(List<Path> files) {
        return new FileStamps(List.copyOf(files), files.stream().map(FileStamps::stamp).toList());
    }

    /** Stamps taken now of the same files. */
    public FileStamps now() {
        return of(files);
    }

    public List<Path> files() {
        return files;
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toInstant() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileStamps f && files.equals(f.files) && stamps.equals(f.stamps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(files, stamps);
    }
}
