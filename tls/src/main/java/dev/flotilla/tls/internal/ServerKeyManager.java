package dev.flotilla.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server's key manager: its one certificate chain and key, chosen whenever the engine asks for a key of that
 * key's algorithm ("EC" or "EC_*" for an EC key, "RSA" for an RSA key, as Netty and the JDK name them).
 *
 * <p>Handing Netty the key and chain themselves ({@code SslContextBuilder.forServer(key, chain)}) makes it build
 * an in-memory PKCS#12 key store around them, which encrypts the key and decrypts it again with 10,000 PBKDF2
 * rounds each: about 0.5 s of CPU per context in a new JVM (a server start, every certificate reload), and a
 * second of C2 compilation on top. This key manager gives the same key to the engine without that round trip;
 * for BoringSSL {@code Engines.server} wraps it in Netty's caching factory, so the key and chain are converted to
 * BoringSSL's form once per context, as Netty's own key store path does, not once per full handshake.
 */
public final class ServerKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "flotilla-server";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    public ServerKeyManager(KeyMaterial.Identity identity) {
        this.key = identity.key();
        this.chain = identity.chain().toArray(X509Certificate[]::new);
    }

    private boolean fits(String keyType) {
        String algorithm = key.getAlgorithm();
        return keyType == null || keyType.equals(algorithm) || keyType.startsWith(algorithm + "_");
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : new String[0];
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
