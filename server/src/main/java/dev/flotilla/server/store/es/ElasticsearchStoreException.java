package dev.flotilla.server.store.es;

import dev.flotilla.server.store.StoreException;
import dev.flotilla.tls.TlsProblem;

/**
 * A failure of the Elasticsearch store: {@link #problem()} says which kind, {@link #tlsProblem()} which TLS
 * failure when the handshake failed; the message names the cluster URL, the setting to check and the fix.
 */
public final class ElasticsearchStoreException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final ElasticsearchProblem problem;
    private final TlsProblem tlsProblem;

    public ElasticsearchStoreException(ElasticsearchProblem problem, TlsProblem tlsProblem, String message,
                                       Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.tlsProblem = tlsProblem;
    }

    public ElasticsearchProblem problem() {
        return problem;
    }

    /** The TLS failure when {@link #problem()} is {@link ElasticsearchProblem#TLS}, else null. */
    public TlsProblem tlsProblem() {
        return tlsProblem;
    }
}
