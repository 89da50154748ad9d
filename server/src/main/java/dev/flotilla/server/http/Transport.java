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
 * The listeners' I/O transport: the JDK's NIO selector by default, or Linux's native epoll with
 * {@value #PROPERTY}{@code =epoll} (where it loads; else NIO). Measured with 50,000 agents on this project's
 * 2-core bench box, NIO was the faster of the two (fan-out p99 2.6 s vs 3.8 s, reconnect storm 47 s vs 57 s, one
 * run each, back to back; bench/README.md), so epoll is there to try on other machines, not the default.
 */
enum Transport {
    EPOLL, NIO;

    /** System property: {@code nio} (the default) or {@code epoll}. */
    static final String PROPERTY = "flotilla.server.transport";

    static Transport fromSystemProperty() {
        String asked = System.getProperty(PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        return switch (asked) {
            case "epoll" -> Epoll.isAvailable() ? EPOLL : NIO;
            case "", "nio" -> NIO;
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
