package dev.flotilla.tls.internal;

import dev.flotilla.pki.PkiException;
import dev.flotilla.pki.PrivateFiles;
import dev.flotilla.tls.TlsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session-ticket secrets of a server, on disk so that tickets outlive the process and every worker process on
 * the same data directory accepts the others' tickets. One secret per line, newest first: the newest encrypts new
 * tickets, the older ones still decrypt tickets handed out before the last rotation. Created with mode 600 (never
 * overwritten in place: a new version is written beside it and renamed over it), rotated when the newest secret is
 * older than {@link #ROTATION}, at most {@link #KEPT} secrets kept. Writers in several processes take a lock on
 * {@code <file>.lock} so that two workers never rotate at once.
 */
public final class TicketKeyFile {

    private static final Logger log = LoggerFactory.getLogger(TicketKeyFile.class);
    /** A new secret starts encrypting tickets once the newest one is this old. */
    public static final Duration ROTATION = Duration.ofHours(24);
    /** Secrets kept: the current one and two earlier ones, which still decrypt. */
    public static final int KEPT = 3;
    static final int SECRET_BYTES = 32;
    private static final String VERSION = "v1";
    private static final Object IN_PROCESS = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One secret and when it was made. */
    public record Secret(Instant created, byte[] bytes) {
        public Secret {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    private final Path file;
    private final Clock clock;

    public TicketKeyFile(Path file, Clock clock) {
        this.file = file.toAbsolutePath();
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /**
     * The secrets, newest first: created when the file does not exist yet, with a new secret added first when the
     * newest is older than {@link #ROTATION}.
     *
     * @throws TlsException naming the file and the fix when it is damaged or cannot be written
     */
    public List<Secret> loadOrCreate() {
        List<Secret> secrets = readIfPresent();
        if (secrets != null && !rotationDue(secrets)) {
            return secrets;
        }
        synchronized (IN_PROCESS) {
            try (FileChannel lockFile = openLockFile(); FileLock ignored = lockFile.lock()) {
                secrets = readIfPresent(); // another process may have written it while we waited
                if (secrets == null) {
                    secrets = List.of(newSecret());
                    write(secrets);
                    log.info("created {} (TLS session-ticket secrets, mode 600) so that agents resume their TLS "
                            + "sessions across restarts and worker processes", file);
                } else if (rotationDue(secrets)) {
                    List<Secret> next = new ArrayList<>();
                    next.add(newSecret());
                    next.addAll(secrets.subList(0, Math.min(secrets.size(), KEPT - 1)));
                    secrets = List.copyOf(next);
                    write(secrets);
                    log.info("rotated the TLS session-ticket secret in {}; {} earlier secret(s) still accept "
                            + "tickets", file, secrets.size() - 1);
                }
                return secrets;
            } catch (IOException e) {
                throw new TlsException("cannot write the TLS session-ticket file " + file + " (" + e.getMessage()
                        + "); make its directory writable by the Fleet Server's user", e);
            }
        }
    }

    /** True when the newest secret is older than {@link #ROTATION}. */
    public boolean rotationDue(List<Secret> secrets) {
        return !clock.instant().isBefore(secrets.get(0).created().plus(ROTATION));
    }

    private Secret newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return new Secret(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), bytes);
    }

    private FileChannel openLockFile() throws IOException {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        Files.createDirectories(file.getParent());
        return FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** The secrets in the file, or null when there is no file. */
    private List<Secret> readIfPresent() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw damaged("cannot be read (" + e.getMessage() + ")", e);
        }
        warnIfOthersCanRead();
        List<Secret> secrets = new ArrayList<>();
        int n = 0;
        for (String line : lines) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            secrets.add(parse(t, n));
        }
        if (secrets.isEmpty()) {
            throw damaged("holds no secret", null);
        }
        return List.copyOf(secrets);
    }

    private Secret parse(String line, int n) {
        String[] parts = line.split("\\s+");
        try {
            if (parts.length == 3 && parts[0].equals(VERSION)) {
                byte[] bytes = Base64.getDecoder().decode(parts[2]);
                if (bytes.length == SECRET_BYTES) {
                    return new Secret(Instant.parse(parts[1]), bytes);
                }
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // reported below
        }
        throw damaged("line " + n + " is not a ticket secret (expected '" + VERSION + " <time> <base64 of "
                + SECRET_BYTES + " bytes>')", null);
    }

    private TlsException damaged(String what, Throwable cause) {
        return new TlsException("the TLS session-ticket file " + file + " " + what + "; it is damaged: delete it and "
                + "start the Fleet Server again (a new one is made; every agent then does one full TLS handshake)",
                cause);
    }

    private void warnIfOthersCanRead() {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{} can be read by other users; it holds TLS session-ticket secrets: chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private void write(List<Secret> secrets) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("# Flotilla TLS session-ticket secrets. Keep private (mode 600). Newest first: the first\n")
                .append("# encrypts new tickets, the others still decrypt. Deleting this file is safe: every agent\n")
                .append("# then does one full TLS handshake.\n");
        for (Secret s : secrets) {
            text.append(VERSION).append(' ').append(s.created()).append(' ')
                    .append(Base64.getEncoder().encodeToString(s.bytes)).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        try (OutputStream out = PrivateFiles.openNew(tmp)) {
            out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (PkiException e) {
            throw new IOException(e.getMessage(), e);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
