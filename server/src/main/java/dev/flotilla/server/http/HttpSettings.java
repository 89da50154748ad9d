package dev.flotilla.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Listener settings: address, connection cap, header cap, timeouts (read-header includes the TLS handshake,
 * read covers the body, idle is the keep-alive wait between requests) and the gzip threshold.
 */
public record HttpSettings(String host, int port, int maxConnections, int maxHeaderBytes, Duration readHeaderTimeout,
                           Duration readTimeout, Duration idleTimeout, int compressionThreshold, long defaultMaxBody) {
    public HttpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 = any free port)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes: " + maxHeaderBytes + " (expected: >= 1024)");
        }
        positive("readHeaderTimeout", readHeaderTimeout);
        positive("readTimeout", readTimeout);
        positive("idleTimeout", idleTimeout);
    }

    public static HttpSettings defaults(String host, int port) {
        return new HttpSettings(host, port, 10_000, 8 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(35), 1024, 512 * 1024);
    }

    public HttpSettings withTimeouts(Duration readHeader, Duration read, Duration idle) {
        return new HttpSettings(host, port, maxConnections, maxHeaderBytes, readHeader, read, idle,
                compressionThreshold, defaultMaxBody);
    }

    public HttpSettings withMaxConnections(int max) {
        return new HttpSettings(host, port, max, maxHeaderBytes, readHeaderTimeout, readTimeout, idleTimeout,
                compressionThreshold, defaultMaxBody);
    }

    public HttpSettings withMaxHeaderBytes(int max) {
        return new HttpSettings(host, port, maxConnections, max, readHeaderTimeout, readTimeout, idleTimeout,
                compressionThreshold, defaultMaxBody);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }
}
