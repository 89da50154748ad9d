package dev.flotilla.tls.internal;

import dev.flotilla.pki.Fingerprints;
import dev.flotilla.tls.ClientAuthentication;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ticket keys a server context uses, derived from the secrets of a {@link TicketKeyFile} and a hash of the
 * trust configuration (client_authentication and the CA certificates that judge client certificates). The same
 * secrets and the same trust give the same keys in every process, so tickets survive restarts and cross worker
 * processes; a change of the trust gives other keys (other key names too), so every ticket issued under the earlier
 * trust is refused and its client does a full handshake in which its certificate is checked again.
 */
public final class TicketKeys {

    private static final byte[] LABEL = "flotilla tls session ticket key v1".getBytes(StandardCharsets.US_ASCII);

    private TicketKeys() {
    }

    /** SHA-256 of what decides which client certificates are accepted. */
    public static byte[] trustHash(ClientAuthentication clientAuthentication, List<X509Certificate> authorities) {
        StringBuilder b = new StringBuilder("client_authentication=").append(clientAuthentication.name());
        authorities.stream().map(Fingerprints::sha256Hex).sorted().forEach(f -> b.append("\nca=").append(f));
        try {
            return MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** One key per secret, in the same order (the first encrypts new tickets). */
    public static OpenSslSessionTicketKey[] derive(List<TicketKeyFile.Secret> secrets, byte[] trustHash) {
        return secrets.stream().map(s -> derive(s.bytes(), trustHash)).toArray(OpenSslSessionTicketKey[]::new);
    }

    private static OpenSslSessionTicketKey derive(byte[] secret, byte[] trustHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] out = new byte[OpenSslSessionTicketKey.TICKET_KEY_SIZE];
            int filled = 0;
            for (byte block = 1; filled < out.length; block++) {
                mac.update(LABEL);
                mac.update(trustHash);
                mac.update(block);
                byte[] chunk = mac.doFinal();
                int n = Math.min(chunk.length, out.length - filled);
                System.arraycopy(chunk, 0, out, filled, n);
                filled += n;
            }
            int name = OpenSslSessionTicketKey.NAME_SIZE;
            int hmac = OpenSslSessionTicketKey.HMAC_KEY_SIZE;
            OpenSslSessionTicketKey key = new OpenSslSessionTicketKey(Arrays.copyOfRange(out, 0, name),
                    Arrays.copyOfRange(out, name, name + hmac), Arrays.copyOfRange(out, name + hmac, out.length));
            Arrays.fill(out, (byte) 0);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
