package dev.flotilla.bench.internal;

import dev.flotilla.tls.ClientAuthentication;
import dev.flotilla.tls.ServerTls;
import dev.flotilla.tls.TlsSettings;
import java.nio.file.Path;
import java.util.List;

/** The benchmark servers' TLS through Flotilla's own tls module, as the Fleet Server configures it. */
public final class BenchTls {

    private BenchTls() {
    }

    /** TLS 1.3 only (like the nginx reference); with {@code clientCa} non-null, client certificates are required. */
    public static ServerTls server(Path certificate, Path key, Path clientCa, String hop) {
        return server(certificate, key, clientCa, hop, null);
    }

    /** As above, with the session-ticket keys from {@code ticketKeyFile} (null: in memory), as Fleet Server does. */
    public static ServerTls server(Path certificate, Path key, Path clientCa, String hop, Path ticketKeyFile) {
        TlsSettings.Builder b = TlsSettings.builder().certificate(certificate).key(key)
                .supportedProtocols(List.of("TLSv1.3")).source("bench " + hop);
        if (clientCa != null) {
            b.addCertificateAuthority(clientCa).clientAuthentication(ClientAuthentication.REQUIRED);
        } else {
            b.clientAuthentication(ClientAuthentication.NONE);
        }
        return ServerTls.create(b.build(), hop, ticketKeyFile);
    }
}
