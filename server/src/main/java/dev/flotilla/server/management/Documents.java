package dev.flotilla.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.http.Json;
import dev.flotilla.server.store.FleetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One management collection (Fleet Server hosts, outputs, agent policies) kept as a JSON array under one store
 * setting, so every store implementation holds it without schema changes. Writers hold the
 * {@link ManagementState} lock.
 */
final class Documents {
    private final FleetStore store;
    private final String key;

    Documents(FleetStore store, String key) {
        this.store = store;
        this.key = key;
    }

    boolean exists() {
        return store.setting(key).isPresent();
    }

    List<ObjectNode> all() {
        List<ObjectNode> out = new ArrayList<>();
        store.setting(key).map(Json::parseStored).ifPresent(arr -> arr.forEach(n -> {
            if (n.isObject()) {
                out.add((ObjectNode) n.deepCopy());
            }
        }));
        return out;
    }

    Optional<ObjectNode> find(String id) {
        return all().stream().filter(d -> id.equals(d.path("id").asText())).findFirst();
    }

    /** Replaces the document with the same id, or appends it. */
    void put(ObjectNode doc) {
        List<ObjectNode> docs = all();
        String id = doc.path("id").asText();
        boolean replaced = false;
        for (int i = 0; i < docs.size(); i++) {
            if (id.equals(docs.get(i).path("id").asText())) {
                docs.set(i, doc);
                replaced = true;
            }
        }
        if (!replaced) {
            docs.add(doc);
        }
        saveAll(docs);
    }

    boolean remove(String id) {
        List<ObjectNode> docs = all();
        boolean removed = docs.removeIf(d -> id.equals(d.path("id").asText()));
        if (removed) {
            saveAll(docs);
        }
        return removed;
    }

    void saveAll(List<? extends JsonNode> docs) {
        ArrayNode arr = Json.array();
        docs.forEach(arr::add);
        store.putSetting(key, Json.text(arr));
    }
}
