package dev.flotilla.server.auth;

import dev.flotilla.server.http.ApiErrors;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The key id and secret from an {@code Authorization: ApiKey <base64(id:secret)>} header. */
public record ApiKeyCredentials(String id, String secret) {

    @Override
    public String toString() {
        return "ApiKeyCredentials[id=" + id + ", secret=<redacted>]";
    }

    /** Parses the request's one Authorization header; anything else is a 401 that says what was wrong. */
    public static ApiKeyCredentials fromHeaders(List<String> authorization) {
        if (authorization.isEmpty()) {
            throw new ApiErrors.MissingApiKey("no Authorization header; send 'Authorization: ApiKey <token>'");
        }
        if (authorization.size() > 1) {
            throw new ApiErrors.MissingApiKey("more than one Authorization header; send exactly one");
        }
        String value = authorization.get(0).trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("ApiKey")) {
            throw new ApiErrors.MissingApiKey("the Authorization header is not of the form 'ApiKey <token>'");
        }
        String token = value.substring(space + 1).trim();
        String decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(token);
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new ApiErrors.MissingApiKey("the ApiKey token is not base64 of UTF-8 'id:key'");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            throw new ApiErrors.MissingApiKey("the ApiKey token does not decode to 'id:key'");
        }
        return new ApiKeyCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
