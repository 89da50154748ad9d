package dev.flotilla.server.http;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.StandardSocketOptions;
import java.util.Locale;

/**
 * The listeners' I/O transport: Linux's native epoll where it loads (edge-triggered, fewer system calls and less
 * garbage per read and write than the JDK selector), else the JDK's NIO. {@value #PROPERTY}{@code =nio} forces NIO
 * (to compare, or where the native library cannot be loaded from the temporary directory).
 */
enum Transport {
    EPOLL, NIO;

    /** System property: {@code epoll} (the default where available) or {@code nio}. */
    static final String PROPERTY = "flotilla.server.transport";

    static Transport fromSystemProperty() {
        String asked = System.getProperty(PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        return switch (asked) {
            case "", "epoll" -> Epoll.isAvailable() ? EPOLL : NIO;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + asked
                    + " is not a transport; use epoll or nio");
        };
    }

    IoHandlerFactory ioHandlers() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerSocketChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** SO_REUSEPORT for this transport's server channel. */
    ChannelOption<Boolean> reusePort() {
        return this == EPOLL ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }
}
