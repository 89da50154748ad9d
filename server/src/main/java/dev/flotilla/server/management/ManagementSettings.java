package dev.flotilla.server.management;

import dev.flotilla.server.http.SslHandlerFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * The management API listener (the "Kibana > Fleet" side): off unless enabled, loopback by default, TLS with the
 * Fleet Server's own handler unless {@code tls} gives another one (e.g. one without client authentication).
 *
 * @param offlineAfter an agent whose last check-in is older than this is {@code offline}; longer than the
 *                     check-in long poll, since a waiting agent checked in when its poll began
 */
public record ManagementSettings(boolean enabled, String host, int port, Duration offlineAfter,
                                 SslHandlerFactory tls) {
    public static final int DEFAULT_PORT = 8221;
    public static final ManagementSettings DISABLED = new ManagementSettings(false, "127.0.0.1", DEFAULT_PORT,
            Duration.ofMinutes(7), null);

    public ManagementSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("management port: " + port + " (expected: 0..65535, 0 = any free)");
        }
        Objects.requireNonNull(offlineAfter, "offlineAfter");
        if (offlineAfter.isZero() || offlineAfter.isNegative()) {
            throw new IllegalArgumentException("offlineAfter: " + offlineAfter + " (expected: > 0)");
        }
    }

    /** Enabled on 127.0.0.1:8221. */
    public static ManagementSettings defaults() {
        return DISABLED.withEnabled(true);
    }

    public ManagementSettings withEnabled(boolean on) {
        return new ManagementSettings(on, host, port, offlineAfter, tls);
    }

    public ManagementSettings withAddress(String newHost, int newPort) {
        return new ManagementSettings(enabled, newHost, newPort, offlineAfter, tls);
    }

    public ManagementSettings withOfflineAfter(Duration d) {
        return new ManagementSettings(enabled, host, port, d, tls);
    }

    /** Serves the management API with this TLS handler instead of the Fleet Server's. */
    public ManagementSettings withTls(SslHandlerFactory factory) {
        return new ManagementSettings(enabled, host, port, offlineAfter, factory);
    }
}
