package dev.flotilla.server.http;

/**
 * The errors an endpoint answers with. Each type has one row in {@link ErrorTable} (status, error code, log
 * level); the message is what the client reads, so it says what was wrong and how to fix it.
 */
public final class ApiErrors {
    private ApiErrors() {
    }

    /** Base of every error answered to a client. */
    public abstract static class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        protected ApiException(String message) {
            super(message, null, false, false);
        }
    }

    /** Malformed JSON, a missing or invalid field. */
    public static final class BadRequest extends ApiException {
        private static final long serialVersionUID = 1L;

        public BadRequest(String message) {
            super(message);
        }
    }

    /** An {@code Elastic-Api-Version} the server does not serve. */
    public static final class UnsupportedApiVersion extends ApiException {
        private static final long serialVersionUID = 1L;

        public UnsupportedApiVersion(String message) {
            super(message);
        }
    }

    /** No usable {@code Authorization: ApiKey} header. */
    public static final class MissingApiKey extends ApiException {
        private static final long serialVersionUID = 1L;

        public MissingApiKey(String message) {
            super(message);
        }
    }

    /** The API key is unknown, invalidated, or its secret does not match. */
    public static final class ApiKeyNotEnabled extends ApiException {
        private static final long serialVersionUID = 1L;

        public ApiKeyNotEnabled(String message) {
            super(message);
        }
    }

    /** The agent record is inactive (unenrolled). */
    public static final class AgentInactive extends ApiException {
        private static final long serialVersionUID = 1L;

        public AgentInactive(String message) {
            super(message);
        }
    }

    /** The API key belongs to another agent. */
    public static final class AgentIdentity extends ApiException {
        private static final long serialVersionUID = 1L;

        public AgentIdentity(String message) {
            super(message);
        }
    }

    /** An existing agent may not be replaced by this enrollment (replace token or policy mismatch). */
    public static final class AgentNotReplaceable extends ApiException {
        private static final long serialVersionUID = 1L;

        public AgentNotReplaceable(String message) {
            super(message);
        }
    }

    /** No agent with the id in the path. */
    public static final class AgentNotFound extends ApiException {
        private static final long serialVersionUID = 1L;

        public AgentNotFound(String message) {
            super(message);
        }
    }

    /** No route for the path. */
    public static final class RouteNotFound extends ApiException {
        private static final long serialVersionUID = 1L;

        public RouteNotFound(String message) {
            super(message);
        }
    }

    /** The path exists but not with this method. */
    public static final class MethodNotAllowed extends ApiException {
        private static final long serialVersionUID = 1L;

        public MethodNotAllowed(String message) {
            super(message);
        }
    }

    /** The audit-unenroll reason is already set. */
    public static final class AuditReasonConflict extends ApiException {
        private static final long serialVersionUID = 1L;

        public AuditReasonConflict(String message) {
            super(message);
        }
    }

    /** The request body is larger than the endpoint accepts. */
    public static final class PayloadTooLarge extends ApiException {
        private static final long serialVersionUID = 1L;

        public PayloadTooLarge(String message) {
            super(message);
        }
    }

    /** The request line or headers are larger than the server accepts. */
    public static final class HeadersTooLarge extends ApiException {
        private static final long serialVersionUID = 1L;

        public HeadersTooLarge(String message) {
            super(message);
        }
    }

    /** The endpoint's rate or concurrency limit is reached. */
    public static final class TooManyRequests extends ApiException {
        private static final long serialVersionUID = 1L;

        public TooManyRequests(String message) {
            super(message);
        }
    }

    /** The server is shutting down. */
    public static final class ServerStopping extends ApiException {
        private static final long serialVersionUID = 1L;

        public ServerStopping(String message) {
            super(message);
        }
    }

    /** The server is not ready (starting, store unavailable). */
    public static final class Unavailable extends ApiException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }
}
