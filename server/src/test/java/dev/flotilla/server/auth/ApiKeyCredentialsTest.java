package dev.flotilla.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.store.ApiKeyRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyCredentialsTest {
    @Test
    void parsesExactlyOneApiKeyHeader() {
        ApiKeys.Issued issued = ApiKeys.issue(ApiKeyRecord.AGENT, "a", Instant.now());
        ApiKeyCredentials c = ApiKeyCredentials.fromHeaders(List.of("ApiKey " + issued.token()));
        assertThat(c.id()).isEqualTo(issued.record().id());
        assertThat(ApiKeys.matches(issued.record(), c.secret())).isTrue();
        assertThat(ApiKeys.matches(issued.record(), c.secret() + "x")).isFalse();
        assertThat(c.toString()).doesNotContain(c.secret());
        assertThat(issued.toString()).doesNotContain(issued.token());

        assertThatThrownBy(() -> ApiKeyCredentials.fromHeaders(List.of())).isInstanceOf(ApiErrors.MissingApiKey.class);
        assertThatThrownBy(() -> ApiKeyCredentials.fromHeaders(List.of("ApiKey " + issued.token(), "ApiKey x")))
                .isInstanceOf(ApiErrors.MissingApiKey.class).hasMessageContaining("more than one");
        assertThatThrownBy(() -> ApiKeyCredentials.fromHeaders(List.of("Bearer " + issued.token())))
                .isInstanceOf(ApiErrors.MissingApiKey.class);
        assertThatThrownBy(() -> ApiKeyCredentials.fromHeaders(List.of("ApiKey bm9jb2xvbg==")))
                .isInstanceOf(ApiErrors.MissingApiKey.class).hasMessageContaining("id:key");
        assertThatThrownBy(() -> ApiKeyCredentials.fromHeaders(List.of("ApiKey /w==")))
                .isInstanceOf(ApiErrors.MissingApiKey.class).hasMessageContaining("UTF-8");
    }

    @Test
    void replaceTokensAreSlowHashes() {
        String h = ReplaceTokens.hash("tok");
        assertThat(h).startsWith("pbkdf2-sha256$").doesNotContain("tok$");
        assertThat(ReplaceTokens.matches(h, "tok")).isTrue();
        assertThat(ReplaceTokens.matches(h, "tok2")).isFalse();
        assertThat(ReplaceTokens.matches(null, "tok")).isFalse();
        assertThat(ReplaceTokens.hash("tok")).isNotEqualTo(h);
    }
}
