package dev.flotilla.agent.input;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.state.SecureFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How far each log file has been read: path -> (file identity, byte offset), saved atomically after the lines
 * were queued, so a restart continues where the queue left off (at worst re-reading the last batch).
 */
final class FileRegistry {
    record Position(String fileKey, long offset) {
    }

    private final Path file;
    private final Map<String, Position> positions = new HashMap<>();

    FileRegistry(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                positions.putAll(Events.JSON.readValue(file.toFile(), new TypeReference<Map<String, Position>>() { }));
            } catch (IOException e) {
                throw new AgentException("cannot read the log file registry " + file + ": " + e.getMessage()
                        + "; delete it to re-read the files from the start", e);
            }
        }
    }

    synchronized Position get(String path) {
        return positions.get(path);
    }

    synchronized void put(String path, Position p) {
        positions.put(path, p);
        try {
            SecureFiles.writePrivate(file, Events.JSON.writeValueAsBytes(positions));
        } catch (IOException e) {
            throw new AgentException("cannot write the log file registry " + file + ": " + e.getMessage(), e);
        }
    }
}
