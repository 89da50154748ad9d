package dev.flotilla.cli.certutil;

import dev.flotilla.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output file names: the user's {@code --out}, or elasticsearch-certutil's default in the current directory. */
final class Outputs {

    private Outputs() {
    }

    /**
     * The output path, checked not to exist yet, so nothing is generated for a file that cannot be written. An
     * {@code --out} naming an existing directory gets the default file name inside it.
     */
    static Path resolve(Path out, String defaultName) {
        Path file = out == null ? Path.of(defaultName) : Files.isDirectory(out) ? out.resolve(defaultName) : out;
        if (Files.exists(file)) {
            throw new UserError(file + " already exists and will not be overwritten; move it away or choose "
                    + "another output file with --out");
        }
        return file;
    }
}
