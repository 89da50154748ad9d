package dev.flotilla.server.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/** Makes the TLS handler of a new connection (e.g. {@code ServerTls::newHandler}); absent for plain HTTP. */
@FunctionalInterface
public interface SslHandlerFactory {
    SslHandler newHandler(ByteBufAllocator alloc);

    /** The handler for a connection from {@code peer}; factories that can name the peer in errors override it. */
    default SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress peer) {
        return newHandler(alloc);
    }

    /**
     * Says why a handshake with {@code peer} failed, in words a person can act on (the TLS module's diagnosis
     * when the factory has one; the engine's words otherwise).
     */
    default String explainFailure(Throwable failure, String peer) {
        return "TLS handshake with " + peer + " failed: " + failure.getMessage();
    }
}
