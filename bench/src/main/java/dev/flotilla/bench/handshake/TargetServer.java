package dev.flotilla.bench.handshake;

/** A TLS server the handshake load runs against, started as its own process. */
interface TargetServer extends AutoCloseable {

    /** A short name for reports, e.g. {@code nginx}. */
    String name();

    int port();

    /** The path the load generator requests. */
    String path();

    /** The process id whose CPU time (with its children) is the server's cost. */
    long pid();

    @Override
    void close();
}
