package dev.flotilla.testing.es;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real Elasticsearch for a test class and stops it after the last test:
 * <pre>{@code
 * @RegisterExtension
 * static final ElasticsearchExtension ES = new ElasticsearchExtension(ElasticsearchLauncher.builder());
 * ... ES.node().uri() ...
 * }</pre>
 */
public final class ElasticsearchExtension implements BeforeAllCallback, AfterAllCallback {

    private final ElasticsearchLauncher launcher;
    private ElasticsearchNode node;

    public ElasticsearchExtension(ElasticsearchLauncher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        node = launcher.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    /** The running node; only between beforeAll and afterAll. */
    public ElasticsearchNode node() {
        if (node == null) {
            throw new IllegalStateException("Elasticsearch is not running: register the extension as a static field");
        }
        return node;
    }
}
