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
 * Changed certificate, key, passphrase or CA files are picked up by new handlers (the files are looked at at most
 * once a second); open connections keep theirs; a change that cannot be loaded is logged and the previous material
 * stays.
 *
 * <h2>Client certificates, alerts and resumption (server side)</h2>
 * Client certificates are judged in Java ({@code ClientCertificateTrustManager}: chain to
 * {@code ssl.certificate_authorities}, dates, extended key usage clientAuth), because netty-tcnative's BoringSSL
 * always hands the chain to Java and offers no way to fill BoringSSL's own certificate store. To keep that cheap, a
 * chain accepted once is recognised by the SHA-256 of its bytes and not validated again while every certificate of
 * its path is within its dates (bounded cache per loaded CA set; {@code -Dflotilla.tls.verified-chain-cache=N},
 * 0 turns it off). A rejected certificate makes BoringSSL send the alert that says why (unknown_ca,
 * certificate_expired, unsupported_certificate, bad_certificate) and is logged with the full diagnosis.
 * Sessions are resumed with stateless tickets (no per-client memory on the server), valid 2 hours; a resumed
 * session does not show its certificate again, so its check is the one of the full handshake it came from (BoringSSL
 * renews TLS 1.3 sessions at most 2 days past it). Ticket keys are derived with the trust configuration: a reload
 * that changes the CAs ends every earlier session, so every client then does a full handshake against the new CAs
 * and removing a CA takes effect at once for new connections, resumed or not. Without a ticket-key file the key is
 * in memory and any reload makes a new one; with one ({@code ServerTls.create(settings, hop, file)}) the keys
 * survive restarts and are shared by the processes using the file.
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
