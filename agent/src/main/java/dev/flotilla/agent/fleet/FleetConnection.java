package dev.flotilla.agent.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the agent reaches Fleet Server: the hosts (tried in order), the {@code ssl.*} settings of the
 * agent -> Fleet Server hop (Elastic key names; files as absolute paths), and the proxy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetConnection(List<String> hosts, Map<String, Object> ssl, String proxyUrl, boolean proxyDisabled) {

    public FleetConnection {
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: empty (expected: at least one Fleet Server URL)");
        }
        hosts = List.copyOf(hosts);
        ssl = ssl == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ssl));
    }

    public URI firstHost() {
        return URI.create(hosts.get(0));
    }

    /** The same connection to other hosts (a policy's new {@code fleet.hosts}). */
    public FleetConnection withHosts(List<String> newHosts) {
        return new FleetConnection(newHosts, ssl, proxyUrl, proxyDisabled);
    }
}
