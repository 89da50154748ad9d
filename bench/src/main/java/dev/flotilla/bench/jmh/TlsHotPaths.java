package dev.flotilla.bench.jmh;

import dev.flotilla.bench.internal.Trees;
import dev.flotilla.testing.TestCertificates;
import dev.flotilla.tls.internal.ChainVerifier;
import dev.flotilla.tls.internal.ClientCertificateTrustManager;
import dev.flotilla.tls.internal.VerifiedChains;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Java part of a server's mTLS handshake: judging the client's P-256 certificate against
 * {@code ssl.certificate_authorities}, parsing included in both. {@code clientCertificateCached} is what a returning chain costs (SHA-256
 * of the presented bytes, dates); the reference {@code referenceClientCertificateFull} is the full check every
 * handshake paid before the cache (chain building, PKIX validation with the signature checks in Java, EKU).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class TlsHotPaths {

    private Path dir;
    private byte[] leafDer;
    private CertificateFactory x509;
    private ClientCertificateTrustManager full;
    private ClientCertificateTrustManager cached;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("flotilla-jmh-tls-");
        TestCertificates pki = TestCertificates.ec(dir);
        try {
            leafDer = pki.client("bench-agent").credential().certificate().getEncoded();
            x509 = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        List<X509Certificate> cas = List.of(pki.ca().certificate());
        full = new ClientCertificateTrustManager("bench", new ChainVerifier(cas, "bench CA"),
                new VerifiedChains(0, Clock.systemUTC()));
        cached = new ClientCertificateTrustManager("bench", new ChainVerifier(cas, "bench CA"),
                new VerifiedChains(1000, Clock.systemUTC()));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Trees.delete(dir);
    }

    @Benchmark
    public X509Certificate[] clientCertificateCached() throws CertificateException {
        X509Certificate[] chain = presented();
        cached.checkClientTrusted(chain, "ECDHE_ECDSA");
        return chain;
    }

    @Benchmark
    public X509Certificate[] referenceClientCertificateFull() throws CertificateException {
        X509Certificate[] chain = presented();
        full.checkClientTrusted(chain, "ECDHE_ECDSA");
        return chain;
    }

    /**
     * A new certificate object per handshake, parsed from the bytes the client sent, as Netty hands it over (the
     * JDK's certificate object remembers its last signature check, so reusing one would hide that cost).
     */
    private X509Certificate[] presented() throws CertificateException {
        return new X509Certificate[] {(X509Certificate) x509.generateCertificate(new ByteArrayInputStream(leafDer))};
    }
}
