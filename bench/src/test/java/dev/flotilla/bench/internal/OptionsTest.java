package dev.flotilla.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void readsValuesAndFallsBackToDefaults() {
        Options o = new Options(List.of("--agents=1_000,5000", "--seconds=2.5", "--warmup=500ms", "--ramp=2m", "--certs=10"));
        assertThat(o.integers("agents", "1")).containsExactly(1000, 5000);
        assertThat(o.duration("seconds", "8")).isEqualTo(Duration.ofMillis(2500));
        assertThat(o.duration("warmup", "3")).isEqualTo(Duration.ofMillis(500));
        assertThat(o.duration("ramp", "3")).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.integer("certs", 1000)).isEqualTo(10);
        assertThat(o.integer("connections", 64)).isEqualTo(64);
        assertThat(o.string("servers", "nginx")).isEqualTo("nginx");
    }

    @Test
    void rejectsWhatIsNotKeyEqualsValueAndSaysWhichOne() {
        assertThatThrownBy(() -> new Options(List.of("agents")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'agents'");
        assertThatThrownBy(() -> new Options(List.of("--certs=many")).integer("certs", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--certs=many");
    }
}
