package dev.flotilla.cli.agent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class LogLevelsTest {
    @AfterEach
    void restore() {
        LogLevels.apply("info");
    }

    @Test
    void changesExistingAndNewLoggersWhileRunning() {
        Logger existing = LoggerFactory.getLogger("test.existing");
        assertThat(existing.isDebugEnabled()).isFalse();
        LogLevels.apply("debug");
        assertThat(existing.isDebugEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("test.created.after").isDebugEnabled()).isTrue();
        LogLevels.apply("warning");
        assertThat(existing.isInfoEnabled()).isFalse();
        assertThat(existing.isWarnEnabled()).isTrue();
        LogLevels.apply("error");
        assertThat(existing.isWarnEnabled()).isFalse();
    }
}
