package dev.flotilla.agent.tls;

import java.util.Map;
import javax.net.ssl.SSLContext;

/** The agent's one door to the tls module: JDK SSL contexts for a hop's {@code ssl.*} settings, and diagnostics. */
public final class AgentTls {

    private AgentTls() {
    }

    /** A client SSL context for {@code ssl} (Elastic key names) on {@code hop}, e.g. "agent -> Fleet Server". */
    public static SSLContext clientContext(Map<String, ?> ssl, String hop) {
        throw new UnsupportedOperationException("tls module not merged yet");
    }

    /** One actionable line for a TLS failure on {@code hop} to {@code host:port}. */
    public static String explain(Throwable failure, String hop, String host, int port) {
        return hop + " to " + host + ":" + port + ": " + failure.getMessage();
    }
}
