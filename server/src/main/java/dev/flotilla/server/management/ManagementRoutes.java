package dev.flotilla.server.management;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Handler;
import dev.flotilla.server.http.Router;
import dev.flotilla.server.limit.EndpointLimit;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Kibana's {@code /api/fleet/...} management paths, each behind the admin key, and the web page under /app/. */
final class ManagementRoutes {
    static final String ENDPOINT = "management";
    private static final EndpointLimit LIMIT = EndpointLimit.DEFAULT.withMaxBodyBytes(1024 * 1024);

    private final Router.Builder router = Router.builder();
    private final AdminKey key;

    private ManagementRoutes(AdminKey key) {
        this.key = key;
    }

    static Router build(AdminKey key, FleetServerHostsApi hosts, OutputsApi outputs, AgentPoliciesApi policies,
                        EnrollmentKeysApi tokens, AgentsApi agents) {
        ManagementRoutes r = new ManagementRoutes(key);
        r.crud("/api/fleet/fleet_server_hosts", hosts::list, hosts::get, hosts::create, hosts::update,
                hosts::delete);
        r.crud("/api/fleet/outputs", outputs::list, outputs::get, outputs::create, outputs::update, outputs::delete);
        r.crud("/api/fleet/agent_policies", policies::list, policies::get, policies::create, policies::update,
                policies::delete);
        r.guarded(GET, "/api/fleet/agent_policies/{id}/full", policies::full);
        r.guarded(POST, "/api/fleet/agent_policies/delete", policies::delete);
        r.guarded(GET, "/api/fleet/enrollment_api_keys", tokens::list);
        r.guarded(POST, "/api/fleet/enrollment_api_keys", tokens::create);
        r.guarded(GET, "/api/fleet/enrollment_api_keys/{id}", tokens::get);
        r.guarded(DELETE, "/api/fleet/enrollment_api_keys/{id}", tokens::revoke);
        r.guarded(GET, "/api/fleet/agents", agents::list);
        r.guarded(GET, "/api/fleet/agents/{id}", agents::get);
        r.guarded(POST, "/api/fleet/agents/{id}/unenroll", agents::unenroll);
        r.guarded(POST, "/api/fleet/agents/{id}/reassign", agents::reassign);
        r.guarded(POST, "/api/fleet/agents/{id}/actions", agents::action);
        StaticUi ui = new StaticUi();
        r.router.route(GET, "/", ENDPOINT, LIMIT, req -> CompletableFuture.completedFuture(
                new ApiResponse(302, new byte[0], null, java.util.Map.of("Location", "/app/"))));
        r.router.route(GET, "/app", ENDPOINT, LIMIT, ui);
        r.router.route(GET, "/app/{file}", ENDPOINT, LIMIT, ui);
        return r.router.build();
    }

    private void crud(String base, Function<ApiRequest, ApiResponse> list, Function<ApiRequest, ApiResponse> get,
                      Function<ApiRequest, ApiResponse> create, Function<ApiRequest, ApiResponse> update,
                      Function<ApiRequest, ApiResponse> delete) {
        guarded(GET, base, list);
        guarded(POST, base, create);
        guarded(GET, base + "/{id}", get);
        guarded(PUT, base + "/{id}", update);
        guarded(DELETE, base + "/{id}", delete);
    }

    private void guarded(HttpMethod method, String pattern, Function<ApiRequest, ApiResponse> body) {
        Handler h = new GuardedHandler(key, body);
        router.route(method, pattern, ENDPOINT, LIMIT, h);
    }
}
