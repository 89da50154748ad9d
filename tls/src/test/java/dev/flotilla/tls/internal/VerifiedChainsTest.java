package dev.flotilla.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.TestCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedChainsTest {

    @TempDir
    static Path dir;
    static TestCertificates pki;
    static X509Certificate ca;
    static X509Certificate agent1;
    static X509Certificate agent2;

    @BeforeAll
    static void setUp() {
        pki = TestCertificates.ec(dir);
        ca = pki.ca().certificate();
        agent1 = pki.client("agent-1").credential().certificate();
        agent2 = pki.client("agent-2").credential().certificate();
    }

    @Test
    void acceptsOnlyTheSameBytesAndOnlyWithinTheDatesOfTheWholePath() {
        Instant now = Instant.now();
        VerifiedChains cache = new VerifiedChains(10, Clock.fixed(now, ZoneOffset.UTC));
        X509Certificate[] chain = {agent1};
        assertThat(cache.accepted(chain)).isFalse();
        cache.remember(chain, List.of(agent1, ca));
        assertThat(cache.accepted(chain)).isTrue();
        assertThat(cache.accepted(new X509Certificate[] {agent2})).isFalse();
        assertThat(cache.accepted(new X509Certificate[] {agent1, ca})).as("another chain, even if it verifies").isFalse();

        Instant afterLeaf = agent1.getNotAfter().toInstant().plus(Duration.ofSeconds(1));
        VerifiedChains later = new VerifiedChains(10, Clock.fixed(afterLeaf, ZoneOffset.UTC));
        later.remember(chain, List.of(agent1, ca));
        assertThat(later.accepted(chain)).as("expired since: judged in full again").isFalse();
        assertThat(later.size()).isZero();

        Instant beforeLeaf = agent1.getNotBefore().toInstant().minus(Duration.ofSeconds(1));
        VerifiedChains earlier = new VerifiedChains(10, Clock.fixed(beforeLeaf, ZoneOffset.UTC));
        earlier.remember(chain, List.of(agent1, ca));
        assertThat(earlier.accepted(chain)).isFalse();
    }

    @Test
    void staysWithinItsBoundAndCanBeTurnedOff() {
        VerifiedChains cache = new VerifiedChains(20, Clock.systemUTC());
        for (int i = 0; i < 50; i++) {
            X509Certificate c = pki.client("many-" + i).credential().certificate();
            cache.remember(new X509Certificate[] {c}, List.of(c, ca));
            assertThat(cache.size()).isLessThanOrEqualTo(20);
        }
        VerifiedChains off = new VerifiedChains(0, Clock.systemUTC());
        off.remember(new X509Certificate[] {agent1}, List.of(agent1, ca));
        assertThat(off.accepted(new X509Certificate[] {agent1})).isFalse();
    }
}
