package dev.flotilla.server.store.es;

import dev.flotilla.tls.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the Fleet Server reaches Elasticsearch: the cluster's URLs, the {@code elastic/fleet-server} service token,
 * the TLS settings of that hop ({@code ssl.certificate_authorities}, {@code ssl.ca_trusted_fingerprint},
 * client certificate, {@code verification_mode}), request timeout and how often to look for other servers' writes.
 *
 * @param hosts         {@code https://host:port} (or {@code http://} only with TLS disabled)
 * @param serviceToken  the bearer token; never logged ({@link #toString()} redacts it)
 * @param tls           settings of the Fleet Server -> Elasticsearch hop
 * @param requestTimeout how long one call may take before the cluster counts as unavailable
 * @param pollInterval  how often the change feed is read for other servers' policies and actions
 */
public record ElasticsearchStoreConfig(List<URI> hosts, String serviceToken, TlsSettings tls,
                                       Duration requestTimeout, Duration pollInterval) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    public ElasticsearchStoreConfig {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts: [] (expected: at least one Elasticsearch URL)");
        }
        Objects.requireNonNull(tls, "tls");
        for (URI host : hosts) {
            String scheme = host.getScheme() == null ? "" : host.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || host.getHost() == null) {
                throw new IllegalArgumentException("--fleet-server-es: " + host
                        + " (expected: a URL like https://es.example:9200)");
            }
            if (scheme.equals("http") && tls.enabled()) {
                throw new IllegalArgumentException("--fleet-server-es: " + host + " is plain http but TLS settings are"
                        + " given; use https:// (Elasticsearch with security on serves HTTPS)");
            }
        }
        if (serviceToken == null || serviceToken.isBlank()) {
            throw new IllegalArgumentException("service token: empty (expected: --fleet-server-service-token or "
                    + "--fleet-server-service-token-path; create one with 'flotilla fleet service-token create')");
        }
        serviceToken = serviceToken.strip();
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout: " + requestTimeout + " (expected: > 0)");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: > 0)");
        }
    }

    public static ElasticsearchStoreConfig of(URI host, String serviceToken, TlsSettings tls) {
        return new ElasticsearchStoreConfig(List.of(host), serviceToken, tls, null, null);
    }

    public ElasticsearchStoreConfig withPollInterval(Duration interval) {
        return new ElasticsearchStoreConfig(hosts, serviceToken, tls, requestTimeout, interval);
    }

    public ElasticsearchStoreConfig withRequestTimeout(Duration timeout) {
        return new ElasticsearchStoreConfig(hosts, serviceToken, tls, timeout, pollInterval);
    }

    @Override
    public String toString() {
        return "ElasticsearchStoreConfig[hosts=" + hosts + ", serviceToken=<redacted>, tls=" + tls.redacted()
                + ", requestTimeout=" + requestTimeout + ", pollInterval=" + pollInterval + "]";
    }
}
