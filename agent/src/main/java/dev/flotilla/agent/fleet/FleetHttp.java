package dev.flotilla.agent.fleet;

import dev.flotilla.agent.AgentException;
import dev.flotilla.agent.tls.AgentTls;
import dev.flotilla.tls.ClientTls;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** Builds the {@link HttpClient} for one Fleet Server host: TLS settings of the hop, proxy, timeouts. */
final class FleetHttp {
    static final String HOP = "agent -> Fleet Server";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private FleetHttp() {
    }

    /** The TLS of the agent -> Fleet Server hop, or null for http:// URLs. */
    static ClientTls tls(FleetConnection connection, URI uri) {
        if (!"https".equals(uri.getScheme())) {
            return null;
        }
        try {
            return AgentTls.client(connection.ssl(), HOP);
        } catch (AgentException e) {
            throw new AgentException(e.getMessage() + FleetTlsHints.SETTINGS_HINT, e);
        }
    }

    static HttpClient client(FleetConnection connection, ClientTls tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            AgentTls.apply(b, tls);
        }
        b.proxy(proxy(connection));
        return b.build();
    }

    static ProxySelector proxy(FleetConnection connection) {
        if (connection.proxyDisabled()) {
            return HttpClient.Builder.NO_PROXY;
        }
        if (connection.proxyUrl() == null || connection.proxyUrl().isBlank()) {
            return ProxySelector.getDefault() == null ? HttpClient.Builder.NO_PROXY : ProxySelector.getDefault();
        }
        URI p = URI.create(connection.proxyUrl());
        if (!"http".equals(p.getScheme()) || p.getHost() == null) {
            throw new AgentException("--proxy-url '" + connection.proxyUrl() + "' is not supported: use an HTTP proxy"
                    + " URL like http://proxy.example.com:3128 (HTTPS is tunnelled through it with CONNECT)");
        }
        return ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort() > 0 ? p.getPort() : 3128));
    }
}
