package dev.flotilla.cli.certutil;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads elasticsearch-certutil's {@code instances.yml}:
 * {@code instances: [{name, filename?, ip: [...], dns: [...], cn: [...]}]}.
 */
final class InstancesFile {

    private static final Set<String> KEYS = Set.of("name", "filename", "ip", "dns", "cn");

    private InstancesFile() {
    }

    static List<Instance> read(Path file, PrintWriter warnings) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new UserError("the instances file " + file + " does not exist; check the --in path");
        } catch (JsonProcessingException e) {
            throw new UserError(file + " is not valid YAML (" + oneLine(e.getOriginalMessage()) + " at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "); fix the file");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("instances");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new UserError(file + " has no 'instances:' list; write it like "
                    + "'instances: [{name: es01, dns: [es01.example.com], ip: [192.0.2.1]}]'");
        }
        List<Instance> instances = new ArrayList<>();
        Set<String> files = new HashSet<>();
        int n = 0;
        for (JsonNode item : list) {
            n++;
            String where = file + ": instance " + n;
            if (!item.isObject()) {
                throw new UserError(where + " is not a map; give 'name:', 'dns:' and 'ip:' keys");
            }
            for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.contains(key)) {
                    throw new UserError(where + ": unknown key '" + key + "' (expected: name, filename, ip, dns, cn)");
                }
            }
            if (item.has("cn")) {
                warnings.println("warning: " + where + ": 'cn' entries are ignored; Flotilla puts only the name, "
                        + "DNS names and IPs in certificates");
            }
            Instance instance = new Instance(text(item, "name", where), text(item, "filename", where),
                    strings(item, "dns", where), strings(item, "ip", where));
            if (!files.add(instance.filename())) {
                throw new UserError(where + ": the name '" + instance.filename() + "' is used twice; give each "
                        + "instance its own name or filename");
            }
            instances.add(instance);
        }
        return instances;
    }

    /** SnakeYAML messages span lines with a source excerpt; keep the words only. */
    private static String oneLine(String message) {
        return message == null ? "" : message.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("in 'reader'") && !l.equals("^"))
                .reduce((a, b) -> a + ": " + b).orElse("");
    }

    private static String text(JsonNode item, String key, String where) {
        JsonNode v = item.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new UserError(where + ": '" + key + "' must be a single value");
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode item, String key, String where) {
        JsonNode v = item.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText());
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                if (!e.isValueNode()) {
                    throw new UserError(where + ": '" + key + "' entries must be plain values");
                }
                out.add(e.asText());
            }
        } else {
            throw new UserError(where + ": '" + key + "' must be a list such as [a.example.com, b.example.com]");
        }
        return out;
    }
}
