package dev.flotilla.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.pki.CertificateBuilder;
import dev.flotilla.pki.Credential;
import dev.flotilla.pki.Fingerprints;
import dev.flotilla.pki.KeySpec;
import dev.flotilla.pki.Pem;
import dev.flotilla.tls.peers.NettyPeers;
import dev.flotilla.tls.peers.OpensslServer;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A root CA, an intermediate CA and a leaf, served by {@code openssl s_server} with and without the intermediate and
 * root in the chain: what trusting the root, pinning the root or the intermediate by fingerprint, and pinning the
 * intermediate's key with ca_sha256 do.
 */
class IntermediateChainTest {

    @TempDir
    static Path dir;
    static NettyPeers peers;
    static Credential root;
    static Credential intermediate;
    static Path rootFile;
    static Path leafFile;
    static Path keyFile;
    static Path intermediateFile;
    static Path intermediateAndRootFile;

    @BeforeAll
    static void setUp() throws Exception {
        peers = new NettyPeers();
        root = CertificateBuilder.forCa("CN=Flotilla Root").keySpec(KeySpec.ec("P-256")).build();
        intermediate = CertificateBuilder.forCa("CN=Flotilla Intermediate").keySpec(KeySpec.ec("P-256"))
                .signedBy(root).build();
        Credential leaf = CertificateBuilder.forLeaf("localhost").keySpec(KeySpec.ec("P-256"))
                .dns(List.of("localhost")).ips(List.of("127.0.0.1")).signedBy(intermediate).build();
        rootFile = Files.writeString(dir.resolve("root.crt"), Pem.certificate(root.certificate()));
        leafFile = Files.writeString(dir.resolve("leaf.crt"), Pem.certificate(leaf.certificate()));
        keyFile = Files.writeString(dir.resolve("leaf.key"), Pem.privateKey(leaf.key()));
        intermediateFile = Files.writeString(dir.resolve("int.crt"), Pem.certificate(intermediate.certificate()));
        intermediateAndRootFile = Files.writeString(dir.resolve("int-root.crt"),
                Pem.certificate(intermediate.certificate()) + Pem.certificate(root.certificate()));
    }

    @AfterAll
    static void tearDown() {
        peers.close();
    }

    private static NettyPeers.Outcome connect(SslProvider provider, Path chain, TlsSettings.Builder client)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-cert", leafFile.toString(), "-key", keyFile.toString()));
        if (chain != null) {
            args.addAll(List.of("-cert_chain", chain.toString()));
        }
        try (OpensslServer s = OpensslServer.start(dir, args)) {
            return peers.get(ClientTls.create(client.build(), "agent -> Elasticsearch", provider), "127.0.0.1",
                    s.port());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void chainsThroughAnIntermediate(SslProvider provider) throws Exception {
        TlsSettings.Builder trustRoot = TlsSettings.builder().addCertificateAuthority(rootFile);
        assertThat(connect(provider, intermediateFile, trustRoot).failure()).isNull();
        assertThat(connect(provider, intermediateAndRootFile, trustRoot).failure()).isNull();

        NettyPeers.Outcome leafOnly = connect(provider, null, trustRoot);
        assertThat(leafOnly.failure().problem()).isEqualTo(TlsProblem.UNKNOWN_CA);
        assertThat(leafOnly.failure().getMessage()).contains("No trusted CA is 'CN=Flotilla Intermediate'");

        // trusting the intermediate itself is enough, even when the server sends only its leaf
        assertThat(connect(provider, null, TlsSettings.builder().addCertificateAuthority(intermediateFile))
                .failure()).isNull();

        String rootFp = Fingerprints.sha256Hex(root.certificate());
        String intermediateFp = Fingerprints.sha256Hex(intermediate.certificate());
        assertThat(connect(provider, intermediateAndRootFile, TlsSettings.builder().caTrustedFingerprint(rootFp))
                .failure()).isNull();
        assertThat(connect(provider, intermediateFile, TlsSettings.builder().caTrustedFingerprint(intermediateFp))
                .failure()).isNull();
        NettyPeers.Outcome rootNotSent = connect(provider, intermediateFile,
                TlsSettings.builder().caTrustedFingerprint(rootFp));
        assertThat(rootNotSent.failure().problem()).isEqualTo(TlsProblem.FINGERPRINT_NOT_PRESENTED);
        assertThat(rootNotSent.failure().getMessage()).contains("matches none of the 2 certificate(s)")
                .contains("issued by 'CN=Flotilla Root', which it did not send");

        String intermediatePin = Fingerprints.spkiSha256Base64(intermediate.certificate());
        assertThat(connect(provider, intermediateFile, trustRoot.caSha256(List.of(intermediatePin))).failure())
                .isNull();
    }
}
