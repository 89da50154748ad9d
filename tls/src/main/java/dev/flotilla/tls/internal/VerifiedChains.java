package dev.flotilla.tls.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client certificate chains one trust manager has already accepted, so a returning client (an agent reconnecting,
 * or many agents sharing one certificate) costs a SHA-256 of the chain it sent instead of a PKIX validation with
 * two signature checks in Java. Keyed by the SHA-256 of the exact DER bytes of the presented chain; each entry
 * keeps the validity window of the verified path (leaf to trust anchor), so a chain is accepted from here only
 * while every certificate in it is still within its dates — after that it goes through the full check again (and
 * gets the full "expired" diagnosis). Only acceptances are kept; rejections are always judged in full.
 *
 * <p>The cache belongs to one loaded set of CAs: a reload of {@code ssl.certificate_authorities} builds a new trust
 * manager with an empty cache, so a CA taken out of the files stops being trusted for new handshakes at once.
 * Bounded: when full, about a tenth of the entries (in hash order, i.e. arbitrary ones) are dropped.
 */
public final class VerifiedChains {

    /** Entries kept by default (~150 bytes each); the system property sets another bound, 0 turns caching off. */
    public static final String MAX_ENTRIES_PROPERTY = "flotilla.tls.verified-chain-cache";
    static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Window(long notBeforeMillis, long notAfterMillis) {
    }

    private record Key(long a, long b, long c, long d) {
    }

    private final int maxEntries;
    private final Clock clock;
    private final Map<Key, Window> accepted = new ConcurrentHashMap<>();

    public VerifiedChains(int maxEntries, Clock clock) {
        this.maxEntries = Math.max(0, maxEntries);
        this.clock = clock;
    }

    /** The size from {@value #MAX_ENTRIES_PROPERTY} (default {@value #DEFAULT_MAX_ENTRIES}), the system clock. */
    public static VerifiedChains fromSystemProperty() {
        return new VerifiedChains(Integer.getInteger(MAX_ENTRIES_PROPERTY, DEFAULT_MAX_ENTRIES), Clock.systemUTC());
    }

    /** True when exactly this chain was accepted before and every certificate of its path is still in its dates. */
    public boolean accepted(X509Certificate[] presented) {
        if (maxEntries == 0) {
            return false;
        }
        Key key = key(presented);
        Window w = key == null ? null : accepted.get(key);
        if (w == null) {
            return false;
        }
        long now = clock.millis();
        if (now < w.notBeforeMillis() || now > w.notAfterMillis()) {
            accepted.remove(key);
            return false;
        }
        return true;
    }

    /** Remembers an accepted chain with the dates of its verified path (leaf to anchor). */
    public void remember(X509Certificate[] presented, List<X509Certificate> verifiedPath) {
        if (maxEntries == 0) {
            return;
        }
        Key key = key(presented);
        if (key == null) {
            return;
        }
        long notBefore = Long.MIN_VALUE;
        long notAfter = Long.MAX_VALUE;
        for (X509Certificate c : verifiedPath) {
            notBefore = Math.max(notBefore, c.getNotBefore().getTime());
            notAfter = Math.min(notAfter, c.getNotAfter().getTime());
        }
        for (X509Certificate c : presented) {
            notBefore = Math.max(notBefore, c.getNotBefore().getTime());
            notAfter = Math.min(notAfter, c.getNotAfter().getTime());
        }
        if (accepted.size() >= maxEntries) {
            trim();
        }
        accepted.put(key, new Window(notBefore, notAfter));
    }

    int size() {
        return accepted.size();
    }

    private void trim() {
        int target = maxEntries - Math.max(1, maxEntries / 10);
        Iterator<Key> it = accepted.keySet().iterator();
        while (accepted.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private static Key key(X509Certificate[] presented) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (X509Certificate c : presented) {
                byte[] der = c.getEncoded();
                sha.update(ByteBuffer.allocate(4).putInt(der.length).array());
                sha.update(der);
            }
            ByteBuffer d = ByteBuffer.wrap(sha.digest());
            return new Key(d.getLong(), d.getLong(), d.getLong(), d.getLong());
        } catch (CertificateEncodingException e) {
            return null; // cannot be keyed: judged in full every time
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
