package dev.flotilla.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Map;

/**
 * A response to write: status, body bytes, content type and extra headers. A JSON body that carries a
 * {@link SharedJson} is {@code spliced} instead ({@code body} is then empty; {@link #body()} puts it together).
 */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers,
                          SplicedBody spliced) {
    private static final String JSON = "application/json; charset=UTF-8";

    public ApiResponse {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
        this(status, body, contentType, headers, null);
    }

    /** The body's bytes (for a spliced body, a copy put together from its parts). */
    @Override
    public byte[] body() {
        return spliced == null ? body : spliced.plainBytes();
    }

    /** Bytes of the body. */
    public int length() {
        return spliced == null ? body.length : spliced.length();
    }

    /** A JSON body; the first {@link SharedJson} in it is kept apart ({@link SplicedBody}). */
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
        return new ApiResponse(status, new byte[0], JSON, Map.of(), new SplicedBody(head, splice.shared, tail));
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
