package dev.flotilla.cli.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.cli.UserError;
import dev.flotilla.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code flotilla server --config <file>}: a YAML file with {@code host}, {@code port}, {@code data_dir},
 * {@code insecure_http}, {@code workers} and an {@code ssl} block with the same keys as every other hop. Flags win over the file.
 */
record ServerConfigFile(String host, Integer port, Path dataDir, Boolean insecureHttp, TlsSettings ssl,
                        Integer workers) {
    private static final Set<String> KEYS = Set.of("host", "port", "data_dir", "insecure_http", "ssl", "workers");

    static ServerConfigFile read(Path file) {
        Map<String, Object> map;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(file), Map.class);
            map = read == null ? Map.of() : read;
        } catch (IOException e) {
            throw new UserError("Cannot read the server config " + file + ": " + e.getMessage().split("\n")[0]
                    + ". It must be a YAML map (host, port, data_dir, insecure_http, workers, ssl).", e);
        }
        for (String key : map.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith("ssl.")) {
                throw new UserError(file + ": unknown setting '" + key + "' (known: " + KEYS + ")");
            }
        }
        try {
            Map<String, Object> ssl = sslMap(map, file);
            Object port = map.get("port");
            return new ServerConfigFile(
                    map.get("host") == null ? null : map.get("host").toString(),
                    port == null ? null : Integer.valueOf(port.toString()),
                    map.get("data_dir") == null ? null : file.toAbsolutePath().getParent().resolve(
                            map.get("data_dir").toString()),
                    map.get("insecure_http") == null ? null : Boolean.valueOf(map.get("insecure_http").toString()),
                    ssl.isEmpty() ? null : TlsSettings.fromMap(ssl, file + " ssl"),
                    map.get("workers") == null ? null : Integer.valueOf(map.get("workers").toString()));
        } catch (NumberFormatException e) {
            throw new UserError(file + ": port and workers must be numbers: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sslMap(Map<String, Object> map, Path file) {
        java.util.LinkedHashMap<String, Object> ssl = new java.util.LinkedHashMap<>();
        Object nested = map.get("ssl");
        if (nested != null) {
            if (!(nested instanceof Map)) {
                throw new UserError(file + ": 'ssl' must be a map of ssl.* settings");
            }
            ssl.putAll((Map<String, Object>) nested);
        }
        map.forEach((k, v) -> {
            if (k.startsWith("ssl.")) {
                ssl.put(k.substring(4), v);
            }
        });
        return ssl;
    }
}
