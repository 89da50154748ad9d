package dev.flotilla.server.store.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.tls.ClientTls;
import dev.flotilla.tls.TlsException;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.apache.http.nio.conn.ssl.SSLIOSessionStrategy;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * One Elasticsearch client for the store: the maintained Java client over the low-level REST client, TLS from the
 * {@code tls} module (its trust manager checks the CA, fingerprint and host name itself, so the HTTP client's own
 * host name check is off), the service token as {@code Authorization: Bearer}. {@link #call} turns every failure
 * into an {@link ElasticsearchStoreException} that names the cause.
 */
final class EsConnection implements AutoCloseable {

    static final String HOP = "Fleet Server -> Elasticsearch";

    private final ElasticsearchStoreConfig config;
    private final ClientTls tls;
    private final RestClient rest;
    private final ElasticsearchClient client;
    private final AtomicReference<SSLEngine> lastEngine = new AtomicReference<>();

    EsConnection(ElasticsearchStoreConfig config, ObjectMapper json) {
        this.config = config;
        this.tls = config.tls().enabled() ? ClientTls.create(config.tls(), HOP) : null;
        HttpHost[] hosts = config.hosts().stream()
                .map(u -> new HttpHost(u.getHost(), port(u), u.getScheme()))
                .toArray(HttpHost[]::new);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis());
        this.rest = RestClient.builder(hosts)
                .setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "Bearer " + config.serviceToken())})
                .setRequestConfigCallback(r -> r.setConnectTimeout(Math.min(timeoutMillis, 10_000))
                        .setSocketTimeout(timeoutMillis).setConnectionRequestTimeout(timeoutMillis))
                .setHttpClientConfigCallback(h -> tls == null ? h : h.setSSLStrategy(new EngineRecordingStrategy()))
                .build();
        this.client = new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(json)));
    }

    /**
     * TLS for the HTTP client: the tls module's context, protocols and suites; no host name check of its own (the
     * trust manager does it). Remembers the last engine, whose handshake facts (did the server ask for a client
     * certificate?) let {@link ClientTls#explain} name the failure.
     */
    private final class EngineRecordingStrategy extends SSLIOSessionStrategy {
        EngineRecordingStrategy() {
            super(tls.jdk(), tls.jdkParameters().getProtocols(), tls.jdkParameters().getCipherSuites(),
                    (javax.net.ssl.HostnameVerifier) NoopHostnameVerifier.INSTANCE);
        }

        @Override
        protected void initializeEngine(SSLEngine engine) {
            lastEngine.set(engine);
        }
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : 9200;
    }

    ElasticsearchClient client() {
        return client;
    }

    String describe() {
        return "Elasticsearch " + config.hosts();
    }

    /** A call that may fail with the client's exceptions. */
    interface Call<T> {
        T run(ElasticsearchClient client) throws IOException;
    }

    /** A 409 from a conditional write: someone else wrote the document first. */
    static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message, null, false, false);
        }
    }

    /** Runs {@code call}; failures become {@link ElasticsearchStoreException}, a 409 becomes {@link Conflict}. */
    <T> T call(String what, Call<T> call) {
        try {
            return call.run(client);
        } catch (ElasticsearchException e) {
            throw byStatus(what, e.status(), e.getMessage(), e);
        } catch (TransportException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ResponseException re) {
                throw byStatus(what, re.getResponse().getStatusLine().getStatusCode(), e.getMessage(), e);
            }
            if (e.statusCode() >= 400) {
                throw byStatus(what, e.statusCode(), e.getMessage(), e);
            }
            throw connectionFailure(what, e);
        } catch (ResponseException e) {
            throw byStatus(what, e.getResponse().getStatusLine().getStatusCode(), e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ElasticsearchStoreException ese) {
                throw ese;
            }
            if (e instanceof Conflict c) {
                throw c;
            }
            throw connectionFailure(what, e);
        }
    }

    private RuntimeException byStatus(String what, int status, String detail, Throwable cause) {
        String where = describe();
        if (status == 409) {
            return new Conflict(what + ": " + detail);
        }
        return switch (status) {
            case 401 -> new ElasticsearchStoreException(ElasticsearchProblem.SERVICE_TOKEN_REJECTED, null,
                    where + " rejected the service token (HTTP 401) while trying to " + what + ". Check "
                            + "--fleet-server-service-token / --fleet-server-service-token-path: the token must be an "
                            + "elastic/fleet-server service token of this cluster (flotilla fleet service-token "
                            + "create, or bin/elasticsearch-service-tokens create elastic/fleet-server <name> on each "
                            + "node).",
                    cause);
            case 403 -> new ElasticsearchStoreException(ElasticsearchProblem.FORBIDDEN, null,
                    where + " refused to " + what + " (HTTP 403): " + detail + ". The token must belong to the "
                            + "elastic/fleet-server service account, which may write the .fleet-* indices.", cause);
            default -> new ElasticsearchStoreException(ElasticsearchProblem.CLUSTER_ERROR, null,
                    where + " failed to " + what + " (HTTP " + status + "): " + detail, cause);
        };
    }

    private ElasticsearchStoreException connectionFailure(String what, Throwable e) {
        URI first = config.hosts().get(0);
        if (tls != null && hasCause(e, SSLException.class)) {
            TlsException explained = tls.explain(e, lastEngine.get(), first.getHost(), port(first));
            return new ElasticsearchStoreException(ElasticsearchProblem.TLS, explained.problem(),
                    "Cannot " + what + ": TLS to " + first + " failed: " + explained.getMessage()
                            + " (settings: --fleet-server-es-ca, --fleet-server-es-ca-trusted-fingerprint, "
                            + "--fleet-server-es-cert/--fleet-server-es-cert-key)", e);
        }
        return new ElasticsearchStoreException(ElasticsearchProblem.UNREACHABLE, null,
                "Cannot " + what + ": " + describe() + " is unreachable (" + rootMessage(e) + "). Check that the "
                        + "cluster runs and that --fleet-server-es points at its HTTP port.", e);
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException ignored) {
            // closing a client that could not reach the cluster has nothing left to do
        }
    }
}
