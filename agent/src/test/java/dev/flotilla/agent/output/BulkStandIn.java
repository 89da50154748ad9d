package dev.flotilla.agent.output;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.pki.Credential;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A stand-in for Elasticsearch's {@code _bulk} endpoint over real TLS (the JDK's HttpsServer), recording request
 * bodies and headers. The real Elasticsearch tests are issue 7's; this peer checks the agent's side of the wire:
 * TLS settings, NDJSON, credentials, and how it treats item errors.
 */
final class BulkStandIn implements AutoCloseable {
    record Request(String authorization, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpsServer server;
    volatile Function<String, String> answer = body -> "{\"errors\":false,\"items\":[]}";
    volatile int status = 200;

    BulkStandIn(Credential serverCredential, X509Certificate clientCa) throws Exception {
        char[] pass = "x".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverCredential.key(), pass, serverCredential.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        TrustManagerFactory tmf = null;
        if (clientCa != null) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", clientCa);
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        boolean needClientAuth = clientCa != null;
        server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/_bulk", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Authorization"), body));
            byte[] out = answer.apply(body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "https://localhost:" + port();
    }

    /** Bodies' document lines (every second NDJSON line). */
    List<String> documents() {
        List<String> docs = new java.util.ArrayList<>();
        for (Request r : requests) {
            List<String> lines = r.body().lines().toList();
            for (int i = 1; i < lines.size(); i += 2) {
                docs.add(lines.get(i));
            }
        }
        return docs;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
