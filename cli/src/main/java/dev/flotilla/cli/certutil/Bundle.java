package dev.flotilla.cli.certutil;

import dev.flotilla.pki.PkiException;
import dev.flotilla.pki.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The entries of an output zip, collected in memory and written at once to a new mode-600 file. */
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
        try (OutputStream raw = PrivateFiles.openNew(file); ZipOutputStream zip = new ZipOutputStream(raw)) {
            String lastDir = null;
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                int slash = e.getKey().lastIndexOf('/');
                String dir = slash < 0 ? null : e.getKey().substring(0, slash + 1);
                if (dir != null && !dir.equals(lastDir)) {
                    zip.putNextEntry(new ZipEntry(dir));
                    zip.closeEntry();
                    lastDir = dir;
                }
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new PkiException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
