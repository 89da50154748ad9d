package dev.flotilla.server.http;

import dev.flotilla.server.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.Level;

/** The one table that turns an exception into HTTP status, error code and log level. */
public final class ErrorTable {

    /** How an error is answered and logged. */
    public record Entry(int status, String error, Level level, boolean exposeMessage) {
    }

    private static final Entry INTERNAL = new Entry(500, "InternalServerError", Level.ERROR, false);
    private static final Map<Class<? extends Throwable>, Entry> TABLE = new LinkedHashMap<>();

    static {
        put(ApiErrors.BadRequest.class, 400, "BadRequest", Level.INFO);
        put(ApiErrors.UnsupportedApiVersion.class, 400, "ErrUnsupportedAPIVersion", Level.INFO);
        put(ApiErrors.MissingApiKey.class, 401, "ErrNoAuthHeader", Level.INFO);
        put(ApiErrors.ApiKeyNotEnabled.class, 401, "Unauthorized", Level.INFO);
        put(ApiErrors.AgentInactive.class, 401, "ErrAgentInactive", Level.INFO);
        put(ApiErrors.AgentIdentity.class, 403, "ErrAgentIdentity", Level.WARN);
        put(ApiErrors.AgentNotReplaceable.class, 403, "ErrAgentNotReplaceable", Level.WARN);
        put(ApiErrors.AgentNotFound.class, 404, "AgentNotFound", Level.INFO);
        put(ApiErrors.RouteNotFound.class, 404, "NotFound", Level.DEBUG);
        put(ApiErrors.MethodNotAllowed.class, 405, "MethodNotAllowed", Level.DEBUG);
        put(ApiErrors.AuditReasonConflict.class, 409, "ErrAuditReasonConflict", Level.INFO);
        put(ApiErrors.PayloadTooLarge.class, 413, "ErrPayloadSizeTooLarge", Level.INFO);
        put(ApiErrors.TooManyRequests.class, 429, "TooManyRequests", Level.DEBUG);
        put(ApiErrors.HeadersTooLarge.class, 431, "ErrHeaderTooLarge", Level.INFO);
        put(ApiErrors.ServerStopping.class, 499, "ErrServerStopping", Level.DEBUG);
        put(ApiErrors.Unavailable.class, 503, "ServiceUnavailable", Level.WARN);
        TABLE.put(StoreException.class, new Entry(503, "ServiceUnavailable", Level.WARN, false));
    }

    private ErrorTable() {
    }

    private static void put(Class<? extends Throwable> type, int status, String error, Level level) {
        TABLE.put(type, new Entry(status, error, level, true));
    }

    public static Entry lookup(Throwable error) {
        for (Class<?> c = error.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            Entry e = TABLE.get(c);
            if (e != null) {
                return e;
            }
        }
        return INTERNAL;
    }

    /** The client-facing message: the exception's own for API errors, a fixed one otherwise. */
    public static String message(Throwable error, Entry entry) {
        if (entry.exposeMessage() && error.getMessage() != null) {
            return error.getMessage();
        }
        return entry.status() == 503 ? "the Fleet Server store is unavailable; retry later"
                : "internal error; the server log has the details";
    }
}
