package dev.flotilla.cli.fleet;

import dev.flotilla.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the management API is and the admin key for it: flags first, then {@code FLOTILLA_FLEET_URL} /
 * {@code FLOTILLA_ADMIN_KEY}, then the Fleet Server's data directory ({@code management.json}, {@code admin.key}).
 */
public final class ConnectionOptions {
    static final String URL_ENV = "FLOTILLA_FLEET_URL";
    static final String KEY_ENV = "FLOTILLA_ADMIN_KEY";
    static final String DATA_DIR_ENV = "FLOTILLA_DATA_DIR";
    /** Where {@code flotilla server} keeps its data unless told otherwise. */
    static Path defaultDataDir = Path.of(System.getProperty("user.home"), ".flotilla", "server");

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The Fleet Server's data directory (holds management.json and admin.key); default: $"
                    + DATA_DIR_ENV + ", else ~/.flotilla/server")
    Path dataDir;

    @Option(names = "--management-url", paramLabel = "URL", description = "Management API URL; default: $" + URL_ENV
            + ", else from the data directory")
    String url;

    @Option(names = "--admin-key-file", paramLabel = "FILE", description = "File holding the admin key; default: $"
            + KEY_ENV + ", else admin.key in the data directory")
    Path adminKeyFile;

    @Option(names = "--ca", paramLabel = "FILE", description = "CA certificate (PEM) to trust when the management"
            + " API serves HTTPS; default: certs/ca.crt in the data directory when the server generated one")
    Path ca;

    @Option(names = "--json", description = "Print the API's JSON instead of a table (for scripts)")
    boolean json;

    /** The environment; tests replace it. */
    static Map<String, String> environment = System.getenv();

    ManagementClient client() {
        Path dir = dataDir != null ? dataDir : env(DATA_DIR_ENV) != null ? Path.of(env(DATA_DIR_ENV)) : null;
        if (dir == null && url == null && env(URL_ENV) == null && Files.isDirectory(defaultDataDir)) {
            dir = defaultDataDir;
        }
        String base = url != null ? url : env(URL_ENV);
        if (base == null && dir != null) {
            base = ManagementClient.urlFromDataDir(dir);
        }
        String key;
        if (adminKeyFile != null) {
            key = read(adminKeyFile, "--admin-key-file");
        } else if (env(KEY_ENV) != null) {
            key = env(KEY_ENV).trim();
        } else if (dir != null) {
            key = read(dir.resolve("admin.key"), "the admin key in the data directory");
        } else {
            key = null;
        }
        if (base == null || key == null) {
            throw new UserError("cannot find the Fleet management API: pass --data-dir=<the Fleet Server's data"
                    + " directory> (or set " + DATA_DIR_ENV + "), or --management-url and --admin-key-file (or " + URL_ENV
                    + " and " + KEY_ENV + ")");
        }
        return new ManagementClient(base, key, trustedCa(dir));
    }

    /** --ca, else the self-signed CA a Fleet Server generated in its data directory (certs/ca.crt), if any. */
    private Path trustedCa(Path dir) {
        if (ca != null || dir == null) {
            return ca;
        }
        Path generated = dir.resolve("certs").resolve("ca.crt");
        return Files.isReadable(generated) ? generated : null;
    }

    private static String env(String name) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    private static String read(Path file, String what) {
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (key.isEmpty()) {
                throw new UserError(file + " (" + what + ") is empty; it should hold the admin key");
            }
            return key;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + what + "): " + e.getMessage() + "; run as the"
                    + " user of the Fleet Server (the file is mode 600) or pass --admin-key-file");
        }
    }
}
