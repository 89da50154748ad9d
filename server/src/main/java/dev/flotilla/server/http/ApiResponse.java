package dev.flotilla.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Map;

/**
 * A response to write: status, body bytes, content type and extra headers; {@code gzip}, when not null, makes the
 * body's gzip form without compressing it again (a JSON body that carries a {@link SharedJson}).
 */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers, GzipSplice gzip) {
    private static final String JSON = "application/json; charset=UTF-8";

    public ApiResponse {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
        this(status, body, contentType, headers, null);
    }

    /** A JSON body; the first {@link SharedJson} in it is kept apart for {@link GzipSplice}. */
    public static ApiResponse json(int status, Object value) {
        Splice splice = new Splice();
        byte[] bytes;
        try {
            bytes = Splice.WRITER.withAttribute(Splice.class, splice).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
        if (splice.shared == null) {
            return new ApiResponse(status, bytes, JSON, Map.of());
        }
        int at = indexOf(bytes, Splice.MARKER_BYTE);
        if (at < 0) {
            throw new IllegalStateException("shared JSON part written but its place not found");
        }
        byte[] head = java.util.Arrays.copyOfRange(bytes, 0, at);
        byte[] tail = java.util.Arrays.copyOfRange(bytes, at + 1, bytes.length);
        byte[] shared = splice.shared.utf8();
        byte[] body = new byte[head.length + shared.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(shared, 0, body, head.length, shared.length);
        System.arraycopy(tail, 0, body, head.length + shared.length, tail.length);
        return new ApiResponse(status, body, JSON, Map.of(), new GzipSplice(head, splice.shared, tail));
    }

    public static ApiResponse error(int status, String error, String message) {
        var node = Json.object().put("statusCode", status).put("error", error);
        if (message != null) {
            node.put("message", message);
        }
        return json(status, node);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where a {@link SharedJson} went while a body was serialised: it writes one NUL byte there instead of its
     * text (a NUL cannot appear anywhere else in JSON the mapper writes: strings escape control characters).
     */
    static final class Splice {
        static final String MARKER = "\u0000";
        static final byte MARKER_BYTE = 0;
        static final ObjectWriter WRITER = Json.MAPPER.writer();
        private SharedJson shared;

        /** True for the first shared part of the body (it is spliced); later ones are written as text. */
        boolean take(SharedJson part) {
            if (shared != null) {
                return false;
            }
            shared = part;
            return true;
        }
    }
}
