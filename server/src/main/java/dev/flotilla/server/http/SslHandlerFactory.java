package dev.flotilla.server.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/** Makes the TLS handler of a new connection (e.g. {@code ServerTls::newHandler}); absent for plain HTTP. */
@FunctionalInterface
public interface SslHandlerFactory {
    SslHandler newHandler(ByteBufAllocator alloc);
}
