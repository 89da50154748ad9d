package dev.flotilla.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a test that must name it before something binds it (a command line written out in full, a server
 * restarted on the same port). {@code new ServerSocket(0)} hands out a port from the kernel's ephemeral range, the
 * same range every outgoing connection on the machine takes its source port from, so by the time the test binds
 * it another connection may hold it ("Address already in use"). These ports come from below that range, where only
 * explicit binds land, and are checked free on the wildcard address.
 */
public final class FreePorts {
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;

    private FreePorts() {
    }

    /** A port that is free now and outside the ephemeral range. */
    public static int outsideEphemeralRange() {
        int below = ephemeralStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = below > LOWEST + 100 ? random.nextInt(LOWEST, below) : random.nextInt(LOWEST, 65_536);
            if (free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found in 200 tries below the ephemeral range (" + below + ")");
    }

    private static boolean free(int port) {
        try (ServerSocket wildcard = new ServerSocket()) {
            wildcard.setReuseAddress(false);
            wildcard.bind(new InetSocketAddress(port));
            try (ServerSocket loopback = new ServerSocket()) {
                loopback.setReuseAddress(false);
                wildcard.close();
                loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static int ephemeralStart() {
        try {
            String[] range = Files.readString(RANGE).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }
}
