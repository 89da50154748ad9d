package dev.flotilla.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Listener settings: address, connection cap, header cap, timeouts (read-header includes the TLS handshake,
 * read covers the body, write is how long a response may take once the request is in — long polls included —,
 * idle is the keep-alive wait between requests) and the gzip threshold.
 */
public record HttpSettings(String host, int port, int maxConnections, int maxHeaderBytes, Duration readHeaderTimeout,
                           Duration readTimeout, Duration writeTimeout, Duration idleTimeout, int compressionThreshold,
                           long defaultMaxBody) {
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
        positive("writeTimeout", writeTimeout);
        positive("idleTimeout", idleTimeout);
    }

    /** Settings with the default 10 min write timeout (the form before the write timeout existed). */
    public HttpSettings(String host, int port, int maxConnections, int maxHeaderBytes, Duration readHeaderTimeout,
                        Duration readTimeout, Duration idleTimeout, int compressionThreshold, long defaultMaxBody) {
        this(host, port, maxConnections, maxHeaderBytes, readHeaderTimeout, readTimeout, Duration.ofMinutes(10),
                idleTimeout, compressionThreshold, defaultMaxBody);
    }

    /** The reference's defaults: 10k connections, 8 KiB headers, read-header 5 s, read 60 s, write 10 min, idle 35 s. */
    public static HttpSettings defaults(String host, int port) {
        return new HttpSettings(host, port, 10_000, 8 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofSeconds(35), 1024, 512 * 1024);
    }

    public HttpSettings withAddress(String newHost, int newPort) {
        return new HttpSettings(newHost, newPort, maxConnections, maxHeaderBytes, readHeaderTimeout, readTimeout,
                writeTimeout, idleTimeout, compressionThreshold, defaultMaxBody);
    }

    public HttpSettings withTimeouts(Duration readHeader, Duration read, Duration idle) {
        return new HttpSettings(host, port, maxConnections, maxHeaderBytes, readHeader, read, writeTimeout, idle,
                compressionThreshold, defaultMaxBody);
    }

    public HttpSettings withWriteTimeout(Duration write) {
        return new HttpSettings(host, port, maxConnections, maxHeaderBytes, readHeaderTimeout, readTimeout, write,
                idleTimeout, compressionThreshold, defaultMaxBody);
    }

    public HttpSettings withMaxConnections(int max) {
        return new HttpSettings(host, port, max, maxHeaderBytes, readHeaderTimeout, readTimeout, writeTimeout,
                idleTimeout, compressionThreshold, defaultMaxBody);
    }

    public HttpSettings withMaxHeaderBytes(int max) {
        return new HttpSettings(host, port, maxConnections, max, readHeaderTimeout, readTimeout, writeTimeout,
                idleTimeout, compressionThreshold, defaultMaxBody);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }
}
