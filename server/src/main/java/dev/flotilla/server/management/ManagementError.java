package dev.flotilla.server.management;

/**
 * An error of the management API: 400 (with the field that is wrong), 404 or 409. Mapped once, in
 * {@link GuardedHandler}, to {@code {"statusCode","error","message","attributes":{"field","reason"}}}.
 */
public final class ManagementError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Each kind is one status and one fixed error code. */
    public enum Kind {
        INVALID(400, "BadRequest"), NOT_FOUND(404, "NotFound"), CONFLICT(409, "Conflict");

        final int status;
        final String code;

        Kind(int status, String code) {
            this.status = status;
            this.code = code;
        }
    }

    private final Kind kind;
    private final String field;
    private final String reason;

    private ManagementError(Kind kind, String field, String reason) {
        super(field == null ? reason : field + ": " + reason, null, false, false);
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    /** A field of the request is wrong; {@code reason} says why and what is expected. */
    public static ManagementError invalid(String field, String reason) {
        return new ManagementError(Kind.INVALID, field, reason);
    }

    public static ManagementError notFound(String what) {
        return new ManagementError(Kind.NOT_FOUND, null, what);
    }

    public static ManagementError conflict(String field, String reason) {
        return new ManagementError(Kind.CONFLICT, field, reason);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
