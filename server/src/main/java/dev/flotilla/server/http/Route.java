package dev.flotilla.server.http;

import dev.flotilla.server.limit.EndpointLimit;
import dev.flotilla.server.limit.EndpointLimiter;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A method + path pattern ({@code /api/fleet/agents/{id}/checkin}) served by a handler under a named limit. */
public final class Route {
    private final HttpMethod method;
    private final String pattern;
    private final List<String> segments;
    private final String endpoint;
    private final Handler handler;
    private final EndpointLimiter limiter;

    Route(HttpMethod method, String pattern, String endpoint, Handler handler, EndpointLimit limit) {
        this.method = method;
        this.pattern = pattern;
        this.segments = List.of(trim(pattern).split("/"));
        this.endpoint = endpoint;
        this.handler = handler;
        this.limiter = new EndpointLimiter(limit);
    }

    public HttpMethod method() {
        return method;
    }

    public String pattern() {
        return pattern;
    }

    public String endpoint() {
        return endpoint;
    }

    public Handler handler() {
        return handler;
    }

    public EndpointLimiter limiter() {
        return limiter;
    }

    /** The path parameters when the path matches this route's pattern, else null. */
    Map<String, String> match(List<String> pathSegments) {
        if (pathSegments.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            String p = pathSegments.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                if (p.isEmpty()) {
                    return null;
                }
                params.put(s.substring(1, s.length() - 1), p);
            } else if (!s.equals(p)) {
                return null;
            }
        }
        return params;
    }

    static String trim(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
