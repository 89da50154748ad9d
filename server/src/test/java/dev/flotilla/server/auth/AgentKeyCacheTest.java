package dev.flotilla.server.auth;

import dev.flotilla.server.http.ApiErrors;
import dev.flotilla.server.http.ApiRequest;
import dev.flotilla.server.store.AgentRecord;
import dev.flotilla.server.store.ApiKeyRecord;
import dev.flotilla.server.store.FleetStore;
import dev.flotilla.server.store.sqlite.SqliteFleetStore;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent-key cache saves the key read on repeated check-ins, and never lets through what the store would refuse:
 * an unenrolled agent, a replaced access key, a wrong secret.
 */
class AgentKeyCacheTest {
    @TempDir
    Path dir;
    private SqliteFleetStore sqlite;
    private final AtomicInteger keyReads = new AtomicInteger();
    private FleetStore store;

    @BeforeEach
    void open() {
        sqlite = SqliteFleetStore.open(dir.resolve("fleet.db"));
        store = (FleetStore) Proxy.newProxyInstance(FleetStore.class.getClassLoader(), new Class<?>[] {FleetStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findApiKey")) {
                        keyReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(sqlite, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    private ApiKeys.Issued enroll(String agentId) {
        ApiKeys.Issued key = ApiKeys.issue(ApiKeyRecord.AGENT, agentId, Instant.now());
        sqlite.enrollAgent(AgentRecord.builder(agentId, "p1").accessApiKeyId(key.record().id()).build(), key.record());
        return key;
    }

    private static ApiRequest request(String token) {
        return new ApiRequest(HttpMethod.POST, "/api/fleet/agents/x/checkin", Map.of(),
                new DefaultHttpHeaders().add("Authorization", "ApiKey " + token), new byte[0], null, "checkin");
    }

    @Test
    void aRepeatedCheckinReadsTheKeyOnceButTheAgentEveryTime() {
        Authenticator auth = new Authenticator(store, new AgentKeyCache(Duration.ofMinutes(5)));
        ApiKeys.Issued key = enroll("a1");
        for (int i = 0; i < 5; i++) {
            assertThat(auth.agent(request(key.token()), "a1").id()).isEqualTo("a1");
        }
        assertThat(keyReads).hasValue(1);

        sqlite.deactivateAgent("a1", true, Instant.now());
        assertThatThrownBy(() -> auth.agent(request(key.token()), "a1")).isInstanceOf(ApiErrors.AgentInactive.class);
    }

    @Test
    void aWrongSecretForACachedIdIsCheckedAgainstTheStoreAndRefused() {
        Authenticator auth = new Authenticator(store, new AgentKeyCache(Duration.ofMinutes(5)));
        ApiKeys.Issued key = enroll("a1");
        auth.agent(request(key.token()), "a1");
        String forged = ApiKeys.token(key.record().id(), "not-the-secret");
        assertThatThrownBy(() -> auth.agent(request(forged), "a1")).isInstanceOf(ApiErrors.ApiKeyNotEnabled.class);
        assertThat(keyReads).hasValue(2);
    }

    @Test
    void aCachedKeyPresentedForAnotherAgentIsRefused() {
        Authenticator auth = new Authenticator(store, new AgentKeyCache(Duration.ofMinutes(5)));
        ApiKeys.Issued old = enroll("a1");
        auth.agent(request(old.token()), "a1");
        ApiKeys.Issued other = enroll("a2");
        assertThatThrownBy(() -> auth.agent(request(old.token()), "a2")).isInstanceOf(ApiErrors.AgentIdentity.class);
        assertThat(auth.agent(request(other.token()), "a2").id()).isEqualTo("a2");
    }

    @Test
    void withTheCacheOffEveryCheckinReadsTheKey() {
        Authenticator auth = new Authenticator(store, new AgentKeyCache(Duration.ZERO));
        ApiKeys.Issued key = enroll("a1");
        for (int i = 0; i < 3; i++) {
            auth.agent(request(key.token()), "a1");
        }
        assertThat(keyReads).hasValue(3);
    }
}
