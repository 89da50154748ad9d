package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Json;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/fleet/fleet_server_hosts}: the URLs agents reach Fleet Server at ({@code host_urls}), one of them the
 * default, with optional {@code ssl} sent to agents as {@code fleet.ssl}.
 */
final class FleetServerHostsApi {
    private final ManagementState state;

    FleetServerHostsApi(ManagementState state) {
        this.state = state;
    }

    ApiResponse list(ApiRequest request) {
        var q = Paging.query(request.uri());
        List<ObjectNode> all = state.read(state.hosts::all);
        return ApiResponse.json(200, Paging.page(all, Paging.number(q, "page", 1, 1, 100_000),
                Paging.number(q, "perPage", 100, 1, 10_000)));
    }

    ApiResponse get(ApiRequest request) {
        String id = request.pathParam("id");
        return ApiResponse.json(200, Paging.item(state.read(() -> find(id))));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.json();
        ObjectNode saved = state.change(() -> {
            ObjectNode doc = Json.object();
            String id = OutputRules.text(body, "id");
            if (id != null && state.hosts.find(id).isPresent()) {
                throw ManagementError.conflict("id", "a Fleet Server host with id " + id + " exists; update it");
            }
            doc.put("id", id != null ? id : UUID.randomUUID().toString());
            doc.put("is_default", state.hosts.all().isEmpty());
            return save(apply(doc, body));
        });
        return ApiResponse.json(200, Paging.item(saved));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.json();
        String id = request.pathParam("id");
        ObjectNode saved = state.change(() -> save(apply(find(id), body)));
        return ApiResponse.json(200, Paging.item(saved));
    }

    ApiResponse delete(ApiRequest request) {
        String id = request.pathParam("id");
        state.change(() -> {
            ObjectNode host = find(id);
            for (ObjectNode p : state.policyDefinitions()) {
                if (id.equals(p.path("fleet_server_host_id").asText())) {
                    throw ManagementError.conflict("id", "agent policy " + p.path("id").asText() + " uses this"
                            + " Fleet Server host; point it at another host first");
                }
            }
            if (host.path("is_default").asBoolean() && state.hosts.all().size() > 1) {
                throw ManagementError.conflict("is_default", "this is the default Fleet Server host; make another"
                        + " host the default first");
            }
            return state.hosts.remove(id);
        });
        return ApiResponse.json(200, Json.object().put("id", id));
    }

    private ObjectNode find(String id) {
        return state.hosts.find(id).orElseThrow(() -> ManagementError.notFound("no Fleet Server host with id "
                + id + "; 'flotilla fleet server-hosts list' shows the ids"));
    }

    private static ObjectNode apply(ObjectNode doc, JsonNode body) {
        if (body.has("name")) {
            doc.put("name", body.get("name").asText(""));
        }
        if (doc.path("name").asText("").isBlank()) {
            throw ManagementError.invalid("name", "a Fleet Server host needs a name, e.g. \"default\"");
        }
        if (body.has("is_default")) {
            if (!body.get("is_default").isBoolean()) {
                throw ManagementError.invalid("is_default", "must be true or false");
            }
            doc.put("is_default", body.get("is_default").asBoolean());
        }
        if (body.has("ssl")) {
            ObjectNode ssl = TlsFieldCheck.ssl(body.get("ssl"), "ssl");
            if (ssl.isEmpty()) {
                doc.remove("ssl");
            } else {
                doc.set("ssl", ssl);
            }
        }
        if (body.has("host_urls")) {
            doc.set("host_urls", body.get("host_urls"));
        }
        doc.set("host_urls", TlsFieldCheck.hosts(doc.get("host_urls"), "host_urls", doc.has("ssl"), "ssl"));
        return doc;
    }

    private ObjectNode save(ObjectNode doc) {
        if (doc.path("is_default").asBoolean()) {
            for (ObjectNode other : state.hosts.all()) {
                if (!other.path("id").asText().equals(doc.path("id").asText())
                        && other.path("is_default").asBoolean()) {
                    other.put("is_default", false);
                    state.hosts.put(other);
                }
            }
        }
        state.hosts.put(doc);
        return doc;
    }
}
