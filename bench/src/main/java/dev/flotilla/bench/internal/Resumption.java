package dev.flotilla.bench.internal;

import java.lang.reflect.Method;
import javax.net.ssl.SSLEngine;

/** Whether a finished handshake resumed an earlier session (counted by the load generators). */
public final class Resumption {

    private static final Method REUSED = find();

    private Resumption() {
    }

    /** True when BoringSSL resumed the engine's session (Netty keeps the question package-private; a tool may ask). */
    public static boolean wasResumed(SSLEngine engine) {
        if (REUSED == null || !REUSED.getDeclaringClass().isInstance(engine)) {
            return false;
        }
        try {
            return (Boolean) REUSED.invoke(engine);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Method find() {
        try {
            Method m = io.netty.handler.ssl.ReferenceCountedOpenSslEngine.class.getDeclaredMethod("isSessionReused");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
