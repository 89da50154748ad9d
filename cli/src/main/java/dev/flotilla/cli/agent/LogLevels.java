package dev.flotilla.cli.agent;

import java.util.Locale;

/**
 * Log levels from Fleet's SETTINGS action. slf4j-simple reads its level when a logger is created, so a level
 * set here applies to loggers created afterwards and, since the agent stores it, to the whole next run.
 */
final class LogLevels {
    private LogLevels() {
    }

    static void apply(String level) {
        if (level == null) {
            return;
        }
        String l = level.toLowerCase(Locale.ROOT);
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warning".equals(l) ? "warn" : l);
    }
}
