package dev.flotilla.server.http;

import java.util.Map;

/** A response to write: status, body bytes, content type and extra headers. */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
    public ApiResponse {
        body = body == null ? new byte[0] : body;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Json.bytes(value), "application/json; charset=UTF-8", Map.of());
    }

    public static ApiResponse error(int status, String error, String message) {
        var node = Json.object().put("statusCode", status).put("error", error);
        if (message != null) {
            node.put("message", message);
        }
        return json(status, node);
    }
}
