package dev.flotilla.agent.enroll;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code local_metadata} an agent reports: its id and version, host and operating system. */
public final class LocalMetadata {
    public static final String VERSION = "8.19.0";

    private LocalMetadata() {
    }

    public static Map<String, Object> collect(String agentId, String logLevel) {
        Map<String, Object> agent = new LinkedHashMap<>();
        if (agentId != null) {
            agent.put("id", agentId);
        }
        agent.put("version", VERSION);
        agent.put("snapshot", false);
        agent.put("upgradeable", false);
        agent.put("log_level", logLevel == null ? "info" : logLevel);
        agent.put("implementation", "flotilla");
        String hostname = hostname();
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("hostname", hostname);
        host.put("name", hostname);
        host.put("architecture", System.getProperty("os.arch"));
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("name", System.getProperty("os.name"));
        os.put("family", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT));
        os.put("version", System.getProperty("os.version"));
        return Map.of("elastic", Map.of("agent", agent), "host", host, "os", os);
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "localhost" : env;
        }
    }
}
