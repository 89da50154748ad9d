package dev.flotilla.bench.internal;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import javax.net.ssl.SSLEngine;

/**
 * The key-exchange group a finished handshake used (BoringSSL's name, e.g. {@code X25519MLKEM768} or
 * {@code X25519}), so a benchmark can say whether two servers did the same work.
 */
public final class KeyExchangeGroup {

    private KeyExchangeGroup() {
    }

    /** The group's name, or "unknown" for an engine that is not BoringSSL's or cannot say. */
    public static String of(SSLEngine engine) {
        if (!(engine instanceof ReferenceCountedOpenSslEngine openSsl)) {
            return "unknown";
        }
        try {
            String name = SSL.getGroupName(openSsl.sslPointer());
            return name == null ? "unknown" : name;
        } catch (Exception | LinkageError e) {
            return "unknown";
        }
    }
}
