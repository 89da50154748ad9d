package dev.flotilla.server.store;

/** The store could not be read or written (answered 503 to agents). The message names the store and the cause. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
