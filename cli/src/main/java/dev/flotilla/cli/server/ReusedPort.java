package dev.flotilla.cli.server;

import dev.flotilla.cli.UserError;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;

/**
 * The agent port of {@code flotilla server --workers N}, held by the supervisor while its workers come and go: a
 * socket bound (not listening) with SO_REUSEPORT, so the port stays this server's (and port 0 becomes one chosen
 * port) while the workers bind it with SO_REUSEPORT too. Before that, a plain bind checks that no other server
 * (which could otherwise share the port) is on it.
 */
final class ReusedPort implements AutoCloseable {
    private final Socket socket;

    private ReusedPort(Socket socket) {
        this.socket = socket;
    }

    static ReusedPort reserve(String host, int port) {
        if (port != 0) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw new UserError("Cannot listen on " + host + ":" + port + ": " + e.getMessage()
                        + ". Is another server using the port? Choose another with --fleet-server-port.", e);
            }
        }
        Socket s = new Socket();
        try {
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            s.bind(new InetSocketAddress(host, port));
            return new ReusedPort(s);
        } catch (UnsupportedOperationException e) {
            closeQuietly(s);
            throw new UserError("--workers needs SO_REUSEPORT, which this operating system does not offer; run one"
                    + " process (--workers 1).", e);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UserError("Cannot reserve " + host + ":" + port + " for the workers: " + e.getMessage()
                    + ". Choose another port with --fleet-server-port.", e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
