package dev.flotilla.cli.agent;

import dev.flotilla.server.store.es.ElasticsearchStoreConfig;
import dev.flotilla.tls.TlsSettings;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code elasticsearch} settings the agent keeps for its Fleet Server ({@code hosts}, {@code service_token},
 * {@code ssl.*} from the {@code --fleet-server-es*} flags) as the Fleet Server's Elasticsearch store configuration.
 */
final class BootstrapElasticsearch {
    static final String SOURCE = "--fleet-server-es* flags";

    private BootstrapElasticsearch() {
    }

    /** The store configuration, or null when no {@code --fleet-server-es} was given (the embedded store). */
    @SuppressWarnings("unchecked")
    static ElasticsearchStoreConfig config(Object recorded) {
        if (!(recorded instanceof Map<?, ?> es) || !(es.get("hosts") instanceof List<?> hosts) || hosts.isEmpty()) {
            return null;
        }
        List<URI> uris = new ArrayList<>();
        for (Object host : hosts) {
            try {
                uris.add(URI.create(String.valueOf(host).strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--fleet-server-es " + host + " is not a URL like"
                        + " https://es.example:9200");
            }
        }
        Map<String, Object> ssl = es.get("ssl") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        boolean plain = uris.stream().allMatch(u -> "http".equals(String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT)));
        TlsSettings tls = plain && ssl.isEmpty() ? TlsSettings.builder().enabled(false).build()
                : TlsSettings.fromMap(ssl, SOURCE);
        Object token = es.get("service_token");
        return new ElasticsearchStoreConfig(uris, token == null ? null : String.valueOf(token), tls, null, null);
    }
}
