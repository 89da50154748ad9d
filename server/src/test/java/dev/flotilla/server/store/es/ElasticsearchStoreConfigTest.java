package dev.flotilla.server.store.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.tls.TlsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchStoreConfigTest {

    private static final TlsSettings TLS = TlsSettings.builder().build();

    @Test
    void defaultsAndRedactedToken() {
        ElasticsearchStoreConfig c = ElasticsearchStoreConfig.of(URI.create("https://es:9200"), " secret-token\n", TLS);

        assertThat(c.serviceToken()).isEqualTo("secret-token");
        assertThat(c.requestTimeout()).isEqualTo(ElasticsearchStoreConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(c.pollInterval()).isEqualTo(ElasticsearchStoreConfig.DEFAULT_POLL_INTERVAL);
        assertThat(c.toString()).doesNotContain("secret-token").contains("<redacted>");
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> new ElasticsearchStoreConfig(List.of(), "t", TLS, null, null))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> ElasticsearchStoreConfig.of(URI.create("ftp://es:9200"), "t", TLS))
                .hasMessageContaining("--fleet-server-es");
        assertThatThrownBy(() -> ElasticsearchStoreConfig.of(URI.create("http://es:9200"), "t", TLS))
                .hasMessageContaining("use https://");
        assertThatThrownBy(() -> ElasticsearchStoreConfig.of(URI.create("https://es:9200"), " ", TLS))
                .hasMessageContaining("--fleet-server-service-token");
        assertThatThrownBy(() -> ElasticsearchStoreConfig.of(URI.create("https://es:9200"), "t", TLS)
                .withPollInterval(Duration.ZERO)).hasMessageContaining("pollInterval");
        assertThat(ElasticsearchStoreConfig.of(URI.create("http://es:9200"), "t",
                TlsSettings.builder().enabled(false).build()).hosts()).hasSize(1);
    }
}
