package dev.flotilla.server.http;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A small file in the data directory that the workers of one {@code flotilla server --workers N} host map to share a
 * few longs ({@link WorkerAnswerBoard}, the change signal). The file is closed once mapped: the mapping stays valid
 * until the process ends, and it holds nothing durable.
 */
public final class HostSharedFile {
    private HostSharedFile() {
    }

    /** Maps the first {@code size} bytes of {@code path} (made that long when shorter); {@code what} names it in errors. */
    public static MappedByteBuffer map(Path path, int size, String what) {
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            if (raf.length() < size) {
                raf.setLength(size);
            }
            return raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, size);
        } catch (IOException e) {
            throw new IllegalStateException("cannot map " + path.toAbsolutePath() + " (" + what + ", in the data"
                    + " directory): " + e.getMessage() + ". Check that the data directory is writable.", e);
        }
    }
}
