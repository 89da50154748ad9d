package dev.flotilla.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransportTest {

    @AfterEach
    void clear() {
        System.clearProperty(Transport.PROPERTY);
    }

    @Test
    void nioIsTheDefaultAndNativeEpollLoadsHereWhenAskedFor() {
        assertThat(Transport.fromSystemProperty()).isEqualTo(Transport.NIO);
        assertThat(Transport.NIO.serverChannel()).isEqualTo(NioServerSocketChannel.class);
        assertThat(Epoll.isAvailable()).as("native epoll on this Linux x86_64 box: %s", Epoll.unavailabilityCause())
                .isTrue();
        System.setProperty(Transport.PROPERTY, "EPOLL");
        assertThat(Transport.fromSystemProperty()).isEqualTo(Transport.EPOLL);
        assertThat(Transport.EPOLL.serverChannel()).isEqualTo(EpollServerSocketChannel.class);
    }

    @Test
    void anUnknownTransportIsNamedInTheError() {
        System.setProperty(Transport.PROPERTY, "kqueue");
        assertThatThrownBy(Transport::fromSystemProperty).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dflotilla.server.transport=kqueue").hasMessageContaining("epoll or nio");
    }
}
