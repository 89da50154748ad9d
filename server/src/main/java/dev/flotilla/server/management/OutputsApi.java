package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.http.ApiResponse;
import dev.flotilla.server.http.Json;
import java.util.List;

/**
 * {@code /api/fleet/outputs}: Elasticsearch outputs (hosts, CA fingerprint, ssl, Advanced YAML, credentials).
 * Validated before anything is saved; secrets are sealed and shown masked.
 */
final class OutputsApi {
    private final ManagementState state;

    OutputsApi(ManagementState state) {
        this.state = state;
    }

    ApiResponse list(ApiRequest request) {
        var q = Paging.query(request.uri());
        List<ObjectNode> all = state.read(state.outputs::all).stream().map(OutputRules::view).toList();
        return ApiResponse.json(200, Paging.page(all, Paging.number(q, "page", 1, 1, 100_000),
                Paging.number(q, "perPage", 100, 1, 10_000)));
    }

    ApiResponse get(ApiRequest request) {
        String id = request.pathParam("id");
        return ApiResponse.json(200, Paging.item(OutputRules.view(state.read(() -> find(id)))));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.json();
        ObjectNode saved = state.change(() -> {
            String id = OutputRules.text(body, "id");
            if (id != null && state.outputs.find(id).isPresent()) {
                throw ManagementError.conflict("id", "an output with id " + id + " exists; update it");
            }
            return save(OutputRules.apply(null, body, state.box));
        });
        return ApiResponse.json(200, Paging.item(OutputRules.view(saved)));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.json();
        String id = request.pathParam("id");
        ObjectNode saved = state.change(() -> {
            ObjectNode existing = find(id);
            for (String flag : List.of("is_default", "is_default_monitoring")) {
                if (existing.path(flag).asBoolean() && body.has(flag) && !body.get(flag).asBoolean(true)) {
                    throw ManagementError.invalid(flag, "an output stops being the default only when another one"
                            + " becomes it; set " + flag + " on the other output");
                }
            }
            return save(OutputRules.apply(existing, body, state.box));
        });
        return ApiResponse.json(200, Paging.item(OutputRules.view(saved)));
    }

    ApiResponse delete(ApiRequest request) {
        String id = request.pathParam("id");
        state.change(() -> {
            ObjectNode output = find(id);
            if (output.path("is_default").asBoolean() || output.path("is_default_monitoring").asBoolean()) {
                throw ManagementError.conflict("is_default", "output " + id + " is a default output; make another"
                        + " output the default first");
            }
            for (ObjectNode p : state.policyDefinitions()) {
                if (id.equals(p.path("data_output_id").asText()) || id.equals(p.path("monitoring_output_id")
                        .asText())) {
                    throw ManagementError.conflict("id", "agent policy " + p.path("id").asText() + " uses output "
                            + id + "; point it at another output first");
                }
            }
            return state.outputs.remove(id);
        });
        return ApiResponse.json(200, Json.object().put("id", id));
    }

    private ObjectNode find(String id) {
        return state.outputs.find(id).orElseThrow(() -> ManagementError.notFound("no output with id " + id
                + "; 'flotilla fleet outputs list' shows the ids"));
    }

    private ObjectNode save(ObjectNode doc) {
        String id = doc.path("id").asText();
        for (String flag : List.of("is_default", "is_default_monitoring")) {
            if (doc.path(flag).asBoolean()) {
                for (ObjectNode other : state.outputs.all()) {
                    if (!other.path("id").asText().equals(id) && other.path(flag).asBoolean()) {
                        other.put(flag, false);
                        state.outputs.put(other);
                    }
                }
            }
        }
        state.outputs.put(doc);
        return doc;
    }
}
