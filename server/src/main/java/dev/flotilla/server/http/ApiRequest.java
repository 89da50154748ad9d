package dev.flotilla.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** A complete request as handlers see it: method, path, path parameters, headers and the (decompressed) body. */
public final class ApiRequest {
    private final HttpMethod method;
    private final String path;
    private final Map<String, String> pathParams;
    private final HttpHeaders headers;
    private final byte[] body;
    private final SocketAddress remote;
    private final String endpoint;
    private final CompletionStage<Void> closed;
    private final String uri;
    private final Executor connectionThread;

    /** A request whose connection is never reported closed (benchmarks, direct handler calls). */
    public ApiRequest(HttpMethod method, String path, Map<String, String> pathParams, HttpHeaders headers,
                      byte[] body, SocketAddress remote, String endpoint) {
        this(method, path, pathParams, headers, body, remote, endpoint, new java.util.concurrent.CompletableFuture<>());
    }

    public ApiRequest(HttpMethod method, String path, Map<String, String> pathParams, HttpHeaders headers,
                      byte[] body, SocketAddress remote, String endpoint, CompletionStage<Void> closed) {
        this(method, path, pathParams, headers, body, remote, endpoint, closed, path);
    }

    /** With the request URI as sent (path and query string), for list filters and paging. */
    public ApiRequest(HttpMethod method, String path, Map<String, String> pathParams, HttpHeaders headers,
                      byte[] body, SocketAddress remote, String endpoint, CompletionStage<Void> closed, String uri) {
        this(method, path, pathParams, headers, body, remote, endpoint, closed, uri, Runnable::run);
    }

    /** With the thread of the request's connection (its event loop), where its answer is written. */
    public ApiRequest(HttpMethod method, String path, Map<String, String> pathParams, HttpHeaders headers,
                      byte[] body, SocketAddress remote, String endpoint, CompletionStage<Void> closed, String uri,
                      Executor connectionThread) {
        this.connectionThread = connectionThread;
        this.uri = uri;
        this.method = method;
        this.path = path;
        this.pathParams = Map.copyOf(pathParams);
        this.headers = headers;
        this.body = body;
        this.remote = remote;
        this.endpoint = endpoint;
        this.closed = closed;
    }

    /**
     * Runs tasks on the thread that writes this request's answer (the connection's event loop; the calling thread
     * for requests made without a connection). An answer completed there is written at once, without a queue
     * between building and writing it. Only for work that never blocks.
     */
    public Executor connectionThread() {
        return connectionThread;
    }

    /** Completes when the client's connection closes (a waiting long poll can stop waiting). */
    public CompletionStage<Void> connectionClosed() {
        return closed;
    }

    public HttpMethod method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The URI as sent: the path with its query string (management list filters and paging). */
    public String uri() {
        return uri;
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public HttpHeaders headers() {
        return headers;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public byte[] body() {
        return body;
    }

    /** The body as a JSON object; a malformed body is a {@link ApiErrors.BadRequest}. */
    public JsonNode json() {
        return Json.parseBody(body);
    }

    public SocketAddress remote() {
        return remote;
    }

    /** The endpoint name of the route (e.g. "checkin"), used for limits and logs. */
    public String endpoint() {
        return endpoint;
    }
}
