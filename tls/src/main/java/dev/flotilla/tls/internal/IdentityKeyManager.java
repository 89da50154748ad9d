package dev.flotilla.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;

/**
 * A client's key manager: offers its one certificate (or none) whenever a server asks, whatever CAs the server
 * lists, so that a certificate from the wrong CA is rejected by the server with a clear reason instead of silently
 * not being sent. Records each request in the {@link HandshakeLog}.
 */
public final class IdentityKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "flotilla";

    private final KeyMaterial.Identity identity;
    private final HandshakeLog log;

    /** @param identity the client certificate and key; null when none is configured */
    public IdentityKeyManager(KeyMaterial.Identity identity, HandshakeLog log) {
        this.identity = identity;
        this.log = log;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        log.facts(engine).certificateRequested(principals(issuers), identity != null);
        return identity == null ? null : ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return identity == null ? null : ALIAS;
    }

    private static List<X500Principal> principals(Principal[] issuers) {
        return issuers == null ? List.of() : Arrays.stream(issuers).filter(X500Principal.class::isInstance)
                .map(X500Principal.class::cast).toList();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return identity == null ? new String[0] : new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return identity != null && ALIAS.equals(alias) ? identity.chain().toArray(X509Certificate[]::new) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return identity != null && ALIAS.equals(alias) ? identity.key() : null;
    }
}
