package dev.flotilla.bench.agents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.server.policy.Policies;
import java.util.List;
import java.util.UUID;

/**
 * The policy the agents scenario hands out ({@code --policy}, read by the Fleet Server JVMs from
 * {@value #PROPERTY}):
 * <ul>
 *   <li>{@value #SYSTEM} (default): shaped like the agent policy Fleet writes for the System integration (two
 *   log streams, eleven metric streams, their processors and the output permissions of each data stream), about
 *   12 KB of JSON. A policy users deploy is this size or larger, so answers to a fan-out are above the server's
 *   compression threshold (1 KiB).</li>
 *   <li>{@value #STARTER}: the product's starter policy (an output and the Fleet hosts, no inputs), about 0.4 KB;
 *   the bench's policy before 2026-12-07, fifth session.</li>
 * </ul>
 * Ids are made from the edit number, so every revision differs and the same edit gives the same document.
 */
final class BenchPolicy {
    static final String PROPERTY = "flotilla.bench.policy";
    static final String SYSTEM = "system";
    static final String STARTER = "starter";

    private static final List<String> METRICSETS = List.of("cpu", "diskio", "filesystem", "fsstat", "load",
            "memory", "network", "process", "process.summary", "socket_summary", "uptime");

    private BenchPolicy() {
    }

    /** The bench policy of the kind {@code kind}, revision {@code edit}, for agents that reach Fleet at {@code url}. */
    static ObjectNode of(String kind, String url, int edit) {
        ObjectNode doc = Policies.starter(List.of(url), "https://127.0.0.1:9200");
        doc.putObject("agent_settings").put("bench_edit", edit);
        switch (kind) {
            case STARTER -> {
                return doc;
            }
            case SYSTEM -> {
                system(doc, edit);
                return doc;
            }
            default -> throw new IllegalArgumentException("--policy=" + kind + " (expected: " + SYSTEM + " or "
                    + STARTER + ")");
        }
    }

    private static void system(ObjectNode doc, int edit) {
        String packagePolicy = id("system-1", edit);
        ObjectNode agent = (ObjectNode) doc.get("agent");
        agent.putObject("download").put("sourceURI", "https://artifacts.elastic.co/downloads/");
        agent.putObject("features");
        agent.putObject("protection").put("enabled", false).put("uninstall_token_hash", id("token", edit))
                .put("signing_key", "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" + id("key", edit).replace("-", ""));
        ArrayNode inputs = doc.putArray("inputs");

        ObjectNode logs = input(inputs, "logfile-system-" + packagePolicy, "logfile", packagePolicy);
        ArrayNode logStreams = logs.putArray("streams");
        logStream(logStreams, packagePolicy, "system.auth", List.of("/var/log/auth.log*", "/var/log/secure*"));
        logStream(logStreams, packagePolicy, "system.syslog", List.of("/var/log/messages*", "/var/log/syslog*",
                "/var/log/system*"));

        ObjectNode metrics = input(inputs, "system/metrics-system-" + packagePolicy, "system/metrics", packagePolicy);
        ArrayNode metricStreams = metrics.putArray("streams");
        for (String set : METRICSETS) {
            ObjectNode s = metricStreams.addObject();
            s.put("id", "system/metrics-system." + set + "-" + packagePolicy);
            s.putObject("data_stream").put("dataset", "system." + set).put("type", "metrics");
            s.putArray("metricsets").add(set.replace(".summary", "_summary"));
            s.put("period", set.equals("filesystem") || set.equals("fsstat") ? "1m" : "10s");
            if (set.equals("process")) {
                s.putArray("process.include_top_n.by_cpu").add(5);
                s.putArray("process.include_top_n.by_memory").add(5);
                s.put("process.cmdline.cache.enabled", true);
                s.putArray("process.cgroups.enabled").add(false);
                s.putArray("process.include_cpu_ticks").add(false);
                s.putArray("processes").add(".*");
            }
            if (set.equals("cpu") || set.equals("load") || set.equals("memory")) {
                s.putArray(set.equals("cpu") ? "cpu.metrics" : "core.metrics").add("percentages").add("normalized_percentages");
            }
            if (set.equals("filesystem") || set.equals("fsstat")) {
                ArrayNode processors = s.putArray("processors");
                processors.addObject().putObject("drop_event.when.regexp")
                        .put("system.filesystem.mount_point", "^/(sys|cgroup|proc|dev|etc|host|lib|snap)($|/)");
            }
        }

        ObjectNode permissions = doc.putObject("output_permissions").putObject("default");
        ArrayNode monitoring = permissions.putObject("_elastic_agent_monitoring").putArray("indices");
        ObjectNode names = monitoring.addObject();
        ArrayNode monitoringNames = names.putArray("names");
        for (String ds : List.of("logs-elastic_agent.apm_server", "logs-elastic_agent.auditbeat", "logs-elastic_agent",
                "logs-elastic_agent.filebeat", "logs-elastic_agent.fleet_server", "logs-elastic_agent.metricbeat",
                "metrics-elastic_agent.elastic_agent", "metrics-elastic_agent.filebeat",
                "metrics-elastic_agent.metricbeat", "metrics-elastic_agent.fleet_server")) {
            monitoringNames.add(ds + "-default");
        }
        names.putArray("privileges").add("auto_configure").add("create_doc");
        permissions.putObject("_elastic_agent_checks").putArray("cluster").add("monitor");
        ArrayNode systemIndices = permissions.putObject(packagePolicy).putArray("indices");
        systemIndices.addObject().putArray("names").add("logs-system.auth-default");
        systemIndices.addObject().putArray("names").add("logs-system.syslog-default");
        for (String set : METRICSETS) {
            systemIndices.addObject().putArray("names").add("metrics-system." + set + "-default");
        }
        for (int i = 0; i < systemIndices.size(); i++) {
            ((ObjectNode) systemIndices.get(i)).putArray("privileges").add("auto_configure").add("create_doc");
        }
        doc.putObject("signed").put("data", java.util.Base64.getEncoder().encodeToString(
                        ("{\"id\":\"bench-policy\",\"agent\":{\"protection\":{\"enabled\":false,\"uninstall_token_hash\":\""
                                + id("token", edit) + "\",\"signing_key\":\"" + id("key", edit) + "\"}}}").getBytes(
                                java.nio.charset.StandardCharsets.UTF_8)))
                .put("signature", "MEUCIQ" + id("signature", edit).replace("-", "") + id("s2", edit).replace("-", ""));
    }

    private static ObjectNode input(ArrayNode inputs, String id, String type, String packagePolicy) {
        ObjectNode in = inputs.addObject();
        in.put("id", id).put("name", "system-1").put("revision", 1).put("type", type).put("use_output", "default");
        in.putObject("meta").putObject("package").put("name", "system").put("version", "1.68.0");
        in.putObject("data_stream").put("namespace", "default");
        in.put("package_policy_id", packagePolicy);
        return in;
    }

    private static void logStream(ArrayNode streams, String packagePolicy, String dataset, List<String> paths) {
        ObjectNode s = streams.addObject();
        s.put("id", "logfile-" + dataset + "-" + packagePolicy);
        s.putObject("data_stream").put("dataset", dataset).put("type", "logs");
        s.put("ignore_older", "72h");
        ArrayNode p = s.putArray("paths");
        paths.forEach(p::add);
        s.putArray("exclude_files").add("\\.gz$");
        s.putObject("multiline").put("pattern", "^\\s").put("match", "after");
        s.putArray("tags").add(dataset.replace('.', '-'));
        ArrayNode processors = s.putArray("processors");
        processors.addObject().putNull("add_locale");
        ObjectNode rename = processors.addObject().putObject("rename");
        rename.putArray("fields").addObject().put("from", "message").put("to", "event.original");
        rename.put("ignore_missing", true).put("fail_on_error", false);
        processors.addObject().putObject("syslog").put("field", "event.original").put("ignore_missing", true)
                .put("ignore_failure", true);
        processors.addObject().putObject("add_fields").put("target", "").putObject("fields")
                .putObject("ecs").put("version", "8.0.0");
    }

    /** A UUID-shaped id that depends only on {@code name} and {@code edit}. */
    private static String id(String name, int edit) {
        return UUID.nameUUIDFromBytes((name + ":" + edit).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
