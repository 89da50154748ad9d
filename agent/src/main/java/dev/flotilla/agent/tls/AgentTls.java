package dev.flotilla.agent.tls;

import dev.flotilla.agent.AgentException;
import dev.flotilla.tls.ClientTls;
import dev.flotilla.tls.TlsDiagnostics;
import dev.flotilla.tls.TlsException;
import dev.flotilla.tls.TlsSettings;

import java.net.http.HttpClient;
import java.util.Map;

/**
 * The agent's one door to the tls module: configures a JDK {@link HttpClient} for a hop's {@code ssl.*}
 * settings (Elastic key names) and words TLS failures. {@link ClientTls}'s trust manager does the verification
 * modes, fingerprint and SPKI pinning and host-name checks itself.
 */
public final class AgentTls {

    private AgentTls() {
    }

    /** The client TLS of {@code hop} (e.g. "agent -> Fleet Server") for {@code ssl}; throws with the setting named. */
    public static ClientTls client(Map<String, ?> ssl, String hop) {
        try {
            return ClientTls.create(TlsSettings.fromMap(ssl, hop), hop);
        } catch (TlsException e) {
            throw new AgentException(e.getMessage(), e);
        }
    }

    /** Sets {@code builder}'s SSL context and parameters from {@code tls}. */
    public static HttpClient.Builder apply(HttpClient.Builder builder, ClientTls tls) {
        return builder.sslContext(tls.jdk()).sslParameters(tls.jdkParameters());
    }

    /** The diagnosis of a TLS failure on {@code tls}'s hop to {@code host:port} (message and {@code problem()}). */
    public static TlsException explain(Throwable failure, ClientTls tls, String host, int port) {
        if (tls != null) {
            return tls.explain(failure, (javax.net.ssl.SSLEngine) null, host, port);
        }
        return TlsDiagnostics.explain(failure, "TLS", host, port);
    }
}
