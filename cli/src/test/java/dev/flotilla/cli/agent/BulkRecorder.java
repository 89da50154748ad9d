package dev.flotilla.cli.agent;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.flotilla.pki.Credential;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Stand-in for Elasticsearch's {@code _bulk} over real TLS (JDK HttpsServer) that records the documents. The real
 * Elasticsearch end-to-end tests belong to issue 7; this checks what the agent puts on the wire.
 */
final class BulkRecorder implements AutoCloseable {
    final List<String> documents = new CopyOnWriteArrayList<>();
    private final HttpsServer server;

    BulkRecorder(Credential credential) throws Exception {
        char[] pass = "x".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("es", credential.key(), pass, credential.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/_bulk", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            List<String> lines = body.lines().toList();
            List<String> docs = new ArrayList<>();
            for (int i = 1; i < lines.size(); i += 2) {
                docs.add(lines.get(i));
            }
            documents.addAll(docs);
            byte[] out = "{\"errors\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    String url() {
        return "https://localhost:" + server.getAddress().getPort();
    }

    boolean has(String text) {
        return documents.stream().anyMatch(d -> d.contains(text));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
