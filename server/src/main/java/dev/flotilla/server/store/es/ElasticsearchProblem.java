package dev.flotilla.server.store.es;

/** Why the Elasticsearch store failed, so that callers and tests need not read message text. */
public enum ElasticsearchProblem {
    /** No connection: nothing listens, the host is unknown, or the call timed out. The store is unavailable. */
    UNREACHABLE,
    /** The TLS handshake failed (untrusted CA, fingerprint, host name, missing client certificate...). */
    TLS,
    /** The cluster did not accept the service token (HTTP 401). */
    SERVICE_TOKEN_REJECTED,
    /** The token's account may not do this (HTTP 403). */
    FORBIDDEN,
    /** The cluster answered with an error (5xx, shards unavailable, bad request). */
    CLUSTER_ERROR
}
