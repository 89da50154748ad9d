package dev.flotilla.server.http;

import java.util.concurrent.CompletionStage;

/**
 * One endpoint. Runs off the event loop; may complete later (long polls). Errors are thrown (or complete the
 * stage exceptionally) as {@link ApiErrors} types and become responses through {@link ErrorTable}.
 */
@FunctionalInterface
public interface Handler {
    CompletionStage<ApiResponse> handle(ApiRequest request) throws Exception;
}
