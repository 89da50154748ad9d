package dev.flotilla.agent.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.tls.AgentTls;
import dev.flotilla.tls.ClientTls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Sends events to an Elasticsearch output with {@code POST /_bulk} ({@code create} into the data stream named by
 * each event's {@code data_stream}). TLS uses the output's {@code ssl.*} settings; hosts are tried in turn.
 * Documents Elasticsearch refuses for good (4xx other than 429) are dropped and counted; anything else throws
 * {@link OutputException} so the batch is retried.
 */
public final class ElasticsearchOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final OutputSettings settings;
    private final HttpClient http;
    private final ClientTls tls;
    private int hostIndex;

    public ElasticsearchOutput(OutputSettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        this.tls = settings.hosts().stream().anyMatch(h -> "https".equals(h.getScheme()))
                ? AgentTls.client(settings.ssl(), settings.hop()) : null;
        if (tls != null) {
            AgentTls.apply(b, tls);
        }
        this.http = b.build();
    }

    public OutputSettings settings() {
        return settings;
    }

    /** Ships {@code events} (JSON documents) in one {@code _bulk}. */
    public BulkResult send(List<byte[]> events) {
        URI host = settings.hosts().get(hostIndex % settings.hosts().size());
        HttpRequest.Builder req = HttpRequest.newBuilder(host.resolve("/_bulk"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(events)));
        if (settings.authorization() != null) {
            req.header("Authorization", settings.authorization());
        }
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            hostIndex++;
            throw new OutputException(unreachable(host, e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputException("_bulk to " + host + " interrupted", e);
        }
        return result(host, resp, events.size());
    }

    private BulkResult result(URI host, HttpResponse<byte[]> resp, int count) {
        int status = resp.statusCode();
        String where = settings.hop() + " at " + host;
        if (status == 401 || status == 403) {
            throw new OutputException(where + " refused the credentials (" + status + "); check the output's"
                    + " api_key (or username/password) in the policy");
        }
        if (status != 200) {
            throw new OutputException(where + " answered _bulk with HTTP " + status + ": "
                    + new String(resp.body(), StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(resp.body());
        } catch (IOException e) {
            throw new OutputException(where + " answered _bulk with a body that is not JSON; is it Elasticsearch?");
        }
        if (!answer.path("errors").asBoolean(false)) {
            return new BulkResult(count, 0, null);
        }
        int dropped = 0;
        String reason = null;
        for (JsonNode item : answer.path("items")) {
            JsonNode r = item.elements().hasNext() ? item.elements().next() : item;
            int s = r.path("status").asInt(200);
            if (s == 429 || s >= 500) {
                throw new OutputException(where + " is overloaded (item status " + s + "); retrying");
            }
            if (s >= 300) {
                dropped++;
                if (reason == null) {
                    reason = r.path("error").path("reason").asText(r.path("error").toString());
                }
            }
        }
        return new BulkResult(count - dropped, dropped, reason);
    }

    private String unreachable(URI host, IOException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return "cannot connect to " + settings.hop() + " at " + host + ": connection refused; check the"
                        + " output's hosts in the policy";
            }
            if (c instanceof SSLException) {
                return AgentTls.explain(e, tls, host.getHost(), port(host)).getMessage()
                        + "; fix the output's ssl settings in Fleet (Settings > Outputs)";
            }
        }
        return "_bulk to " + settings.hop() + " at " + host + " failed: " + e;
    }

    private static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
    }

    private static byte[] body(List<byte[]> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : events) {
            String index = indexOf(e);
            out.writeBytes(("{\"create\":{\"_index\":\"" + index + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(e);
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** {@code <type>-<dataset>-<namespace>} from the event's {@code data_stream}. */
    static String indexOf(byte[] event) {
        try {
            JsonNode ds = JSON.readTree(event).path("data_stream");
            return ds.path("type").asText("logs") + "-" + ds.path("dataset").asText("generic") + "-"
                    + ds.path("namespace").asText("default");
        } catch (IOException e) {
            return "logs-generic-default";
        }
    }
}
