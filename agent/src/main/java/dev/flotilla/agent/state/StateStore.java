package dev.flotilla.agent.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.AgentException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The agent's state on disk: JSON encrypted with AES-256-GCM under the vault key. File layout:
 * {@code "FLT1" | 12-byte nonce | ciphertext+tag}; the magic is bound in as associated data. Each save uses a
 * fresh random nonce and replaces the file atomically (mode 600).
 */
public final class StateStore {
    private static final byte[] MAGIC = "FLT1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();

    /** A store of {@code file} whose key is (or will be) in {@code keyFile}. */
    public StateStore(Path file, Path keyFile) {
        this.file = file;
        this.keyFile = keyFile;
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The stored state, or empty when the agent has never been enrolled (or was unenrolled). */
    public Optional<AgentState> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (!Files.exists(keyFile)) {
            throw new AgentException("agent state " + file + " exists but its vault key " + keyFile
                    + " is missing; the enrollment cannot be read: re-enroll with --force");
        }
        SecretKey key = VaultKey.load(keyFile);
        try {
            byte[] all = Files.readAllBytes(file);
            if (all.length < MAGIC.length + NONCE_BYTES + TAG_BITS / 8
                    || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
                throw new AgentException("agent state " + file + " is not a Flotilla state file (bad header);"
                        + " re-enroll with --force");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, all, MAGIC.length, NONCE_BYTES));
            cipher.updateAAD(MAGIC);
            int offset = MAGIC.length + NONCE_BYTES;
            byte[] plain = cipher.doFinal(all, offset, all.length - offset);
            return Optional.of(JSON.readValue(plain, AgentState.class));
        } catch (AEADBadTagException e) {
            throw new AgentException("agent state " + file + " does not decrypt with vault key " + keyFile
                    + " (the file was changed or the key replaced); re-enroll with --force", e);
        } catch (GeneralSecurityException e) {
            throw new AgentException("cannot decrypt agent state " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new AgentException("cannot read agent state " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encrypts and writes {@code state}, creating the vault key on first use. */
    public void save(AgentState state) {
        SecretKey key = VaultKey.loadOrCreate(keyFile);
        try {
            byte[] plain = JSON.writeValueAsBytes(state);
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(MAGIC);
            byte[] sealed = cipher.doFinal(plain);
            Arrays.fill(plain, (byte) 0);
            ByteBuffer out = ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + sealed.length);
            out.put(MAGIC).put(nonce).put(sealed);
            SecureFiles.createPrivateDirectory(file.toAbsolutePath().getParent());
            SecureFiles.writePrivate(file, out.array());
        } catch (GeneralSecurityException | IOException e) {
            throw new AgentException("cannot encrypt agent state for " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the state (credentials) and the vault key. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(keyFile);
        } catch (IOException e) {
            throw new AgentException("cannot remove agent state " + file + ": " + e.getMessage(), e);
        }
    }
}
