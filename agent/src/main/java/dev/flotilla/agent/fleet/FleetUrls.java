package dev.flotilla.agent.fleet;

import dev.flotilla.agent.AgentException;

import java.net.URI;
import java.net.URISyntaxException;

/** Parses and checks Fleet Server URLs (https://host:port, or http:// with --insecure). */
public final class FleetUrls {

    private FleetUrls() {
    }

    public static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url.endsWith("/") ? url : url + "/");
        } catch (URISyntaxException e) {
            throw new AgentException("Fleet Server URL '" + url + "' is not a URL (" + e.getReason()
                    + "); expected e.g. --url=https://fleet.example.com:8220");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new AgentException("Fleet Server URL '" + url + "' must be https://host:port (or http://host:port"
                    + " with --insecure); e.g. --url=https://fleet.example.com:8220");
        }
        return uri;
    }

    public static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }
}
