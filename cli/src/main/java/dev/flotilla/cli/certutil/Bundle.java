package dev.flotilla.cli.certutil;

import dev.flotilla.pki.PkiException;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of an output zip, collected in memory and written at once to a new mode-600 file. Entries carry
 * Unix modes (directories 700, files 600), so {@code unzip} restores the keys readable by their owner only.
 */
final class Bundle {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    void add(String name, String text) {
        add(name, text.getBytes(StandardCharsets.US_ASCII));
    }

    void add(String name, byte[] content) {
        if (entries.putIfAbsent(name, content) != null) {
            throw new IllegalStateException("duplicate bundle entry " + name);
        }
    }

    Iterable<String> names() {
        return entries.keySet();
    }

    /** Writes the zip; fails without touching anything when {@code file} exists. */
    void write(Path file) {
        PrivateFiles.writeNew(file, zip());
    }

    private byte[] zip() {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("flotilla-bundle", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path zip = tmp.resolve("bundle.zip");
            try (FileSystem fs = FileSystems.newFileSystem(zip,
                    Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    Path entry = fs.getPath(e.getKey());
                    if (entry.getParent() != null && !Files.exists(entry.getParent())) {
                        Files.createDirectories(entry.getParent());
                        Files.setPosixFilePermissions(entry.getParent(), PosixFilePermissions.fromString("rwx------"));
                    }
                    Files.write(entry, e.getValue());
                    Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-------"));
                }
            }
            return Files.readAllBytes(zip);
        } catch (IOException | UnsupportedOperationException e) {
            throw new PkiException("cannot build the zip in a temporary directory: " + e.getMessage()
                    + "; check that the temp directory (java.io.tmpdir) is writable", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("bundle.zip"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover empty private temp dir is harmless
        }
    }
}
