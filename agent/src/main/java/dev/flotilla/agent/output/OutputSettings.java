package dev.flotilla.agent.output;

import dev.flotilla.agent.AgentException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Elasticsearch output of a policy: hosts, {@code ssl.*} settings (nested {@code ssl:} map and dotted
 * {@code ssl.x} keys merged, the nested map wins) and credentials ({@code api_key} "id:key", or
 * {@code username}/{@code password}).
 */
public record OutputSettings(String name, List<URI> hosts, Map<String, Object> ssl, String authorization) {

    public OutputSettings {
        hosts = List.copyOf(hosts);
        ssl = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ssl));
    }

    /** The output {@code name} of {@code policy}. */
    @SuppressWarnings("unchecked")
    public static OutputSettings fromPolicy(Map<String, Object> policy, String name) {
        Object outputs = policy.get("outputs");
        if (!(outputs instanceof Map<?, ?> all) || !(all.get(name) instanceof Map<?, ?> raw)) {
            throw new AgentException("the policy has no output named '" + name + "'; add it in Fleet > Settings >"
                    + " Outputs or fix the input's use_output");
        }
        Map<String, Object> out = (Map<String, Object>) raw;
        String type = String.valueOf(out.getOrDefault("type", "elasticsearch"));
        if (!"elasticsearch".equals(type)) {
            throw new AgentException("output '" + name + "' is of type '" + type + "'; the Flotilla agent ships only"
                    + " to elasticsearch outputs");
        }
        Map<String, Object> ssl = new LinkedHashMap<>();
        out.forEach((k, v) -> {
            if (k.startsWith("ssl.")) {
                ssl.put(k.substring(4), v);
            }
        });
        if (out.get("ssl") instanceof Map<?, ?> nested) {
            nested.forEach((k, v) -> ssl.put(String.valueOf(k), v));
        }
        boolean tls = !ssl.isEmpty() && !Boolean.FALSE.equals(ssl.get("enabled"));
        List<URI> hosts = new ArrayList<>();
        if (out.get("hosts") instanceof List<?> list) {
            for (Object h : list) {
                hosts.add(host(String.valueOf(h), tls, name));
            }
        }
        if (hosts.isEmpty()) {
            throw new AgentException("output '" + name + "' has no hosts; set hosts: [https://es.example:9200]");
        }
        return new OutputSettings(name, hosts, ssl, authorization(out, name));
    }

    private static URI host(String h, boolean tls, String name) {
        String s = h.contains("://") ? h : (tls ? "https://" : "http://") + h;
        try {
            URI u = URI.create(s);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new AgentException("output '" + name + "' host '" + h + "' is not a URL; expected e.g. https://es.example:9200");
        }
    }

    private static String authorization(Map<String, Object> out, String name) {
        Object apiKey = out.get("api_key");
        if (apiKey != null && !String.valueOf(apiKey).isBlank()) {
            String k = String.valueOf(apiKey);
            return "ApiKey " + (k.contains(":") ? Base64.getEncoder().encodeToString(k.getBytes(StandardCharsets.UTF_8)) : k);
        }
        Object user = out.get("username");
        if (user != null) {
            Object pass = out.get("password");
            if (pass == null) {
                throw new AgentException("output '" + name + "' has a username but no password");
            }
            String up = user + ":" + pass;
            return "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    public String hop() {
        return "agent -> Elasticsearch output '" + name + "'";
    }

    @Override
    public String toString() {
        return "OutputSettings[name=" + name + ", hosts=" + hosts + ", ssl=" + ssl.keySet()
                + ", authorization=" + (authorization == null ? "none" : "<redacted>") + "]";
    }
}
