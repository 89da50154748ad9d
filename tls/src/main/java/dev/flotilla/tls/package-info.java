/**
 * The {@code ssl.*} settings of every hop (agent -> Fleet Server, Fleet Server -> Elasticsearch, agent ->
 * Elasticsearch output) turned into TLS contexts on Netty with BoringSSL, the JDK engine only where BoringSSL cannot
 * load.
 *
 * <h2>Server (a TLS listener)</h2>
 * <pre>{@code
 * ServerTls tls = ServerTls.create(TlsSettings.fromMap(sslMap, "fleet-server.yml ssl"), "Fleet Server");
 * // per accepted channel:
 * ch.pipeline().addLast(new PlainHttpRejector("Fleet Server"));   // optional: 400 "use https://" for http://
 * ch.pipeline().addLast(tls.newHandler(ch.alloc()));               // newest certificate/CAs from disk
 * // in exceptionCaught: log tls.explain(cause, remoteAddress).getMessage()
 * }</pre>
 * Changed certificate, key, passphrase or CA files are picked up by the next {@code newHandler}; open connections
 * keep theirs; a change that cannot be loaded is logged and the previous material stays.
 *
 * <h2>Client (one outgoing hop)</h2>
 * <pre>{@code
 * ClientTls tls = ClientTls.create(settings, "agent -> Fleet Server");
 * // Netty: SslHandler h = tls.newHandler(alloc, host, port);   on failure: tls.explain(cause, h, host, port)
 * // JDK:   HttpClient.newBuilder().sslContext(tls.jdk()).sslParameters(tls.jdkParameters())
 * //        on failure: tls.explain(exception, host, port)
 * }</pre>
 * The engines never check host names themselves: {@link dev.flotilla.tls.ClientTls#trustManager()} implements
 * {@code verification_mode} (full, strict, certificate, none), {@code ca_trusted_fingerprint} (matched against the
 * certificates the server presents), {@code ca_sha256} (SPKI pins on the verified chain) and the host/IP checks.
 *
 * <h2>Errors</h2>
 * Everything fails with {@link dev.flotilla.tls.TlsException}: the message names the hop, the setting and file, the
 * certificates (subject, issuer, SANs, validity, SHA-256) and the fix; {@link dev.flotilla.tls.TlsException#problem()}
 * says what kind of failure it is without reading the text.
 */
package dev.flotilla.tls;
