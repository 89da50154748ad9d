package dev.flotilla.server.http;

import dev.flotilla.server.limit.EndpointLimit;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small immutable router: routes tried in order, path parameters in braces. Reusable by any listener. */
public final class Router {

    /** A route with the path parameters of one request. */
    public record Match(Route route, Map<String, String> params, String path) {
    }

    /** Why no route matched. */
    public record Miss(boolean pathKnown, String path) {
    }

    private final List<Route> routes;

    private Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Route> routes() {
        return routes;
    }

    /** The matching route, or null; {@link #miss} says whether the path exists with another method. */
    public Match match(HttpMethod method, String uri) {
        String path = new QueryStringDecoder(uri).path();
        List<String> segments = List.of(Route.trim(path).split("/"));
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Map<String, String> params = r.match(segments);
                if (params != null) {
                    return new Match(r, params, path);
                }
            }
        }
        return null;
    }

    public Miss miss(String uri) {
        String path = new QueryStringDecoder(uri).path();
        List<String> segments = List.of(Route.trim(path).split("/"));
        boolean known = routes.stream().anyMatch(r -> r.match(segments) != null);
        return new Miss(known, path);
    }

    /** Collects routes; each endpoint name gets its own limiter. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        public Builder route(HttpMethod method, String pattern, String endpoint, EndpointLimit limit, Handler handler) {
            routes.add(new Route(method, pattern, endpoint, handler, limit));
            return this;
        }

        public Router build() {
            return new Router(routes);
        }
    }
}
