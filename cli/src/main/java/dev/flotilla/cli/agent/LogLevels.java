package dev.flotilla.cli.agent;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;

/**
 * Changes the log level of the running CLI when Fleet sends a SETTINGS action (and at start, from the stored
 * state). The CLI logs through slf4j-simple, which has no API for this: its loggers keep their level in a field set
 * at creation and new loggers read a default from its configuration, so both are set here (reflection on
 * slf4j-simple's own fields; if that ever fails, the level still applies from the next start, via the system
 * property read at start-up).
 */
final class LogLevels {
    private LogLevels() {
    }

    static void apply(String level) {
        if (level == null) {
            return;
        }
        Level target = parse(level);
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", target.name().toLowerCase(Locale.ROOT));
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals("org.slf4j.simple.SimpleLoggerFactory")) {
            return;
        }
        try {
            Class<?> simpleLogger = Class.forName("org.slf4j.simple.SimpleLogger");
            Field config = simpleLogger.getDeclaredField("CONFIG_PARAMS");
            config.setAccessible(true);
            Object params = config.get(null);
            Field defaultLevel = params.getClass().getDeclaredField("defaultLogLevel");
            defaultLevel.setAccessible(true);
            defaultLevel.setInt(params, target.toInt());
            Field loggerMap = factory.getClass().getDeclaredField("loggerMap");
            loggerMap.setAccessible(true);
            Field current = simpleLogger.getDeclaredField("currentLogLevel");
            current.setAccessible(true);
            for (Object logger : ((Map<?, ?>) loggerMap.get(factory)).values()) {
                if (simpleLogger.isInstance(logger)) {
                    current.setInt(logger, target.toInt());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Logger log = LoggerFactory.getLogger(LogLevels.class);
            log.warn("cannot change the log level of the running agent ({}); it applies from the next start", e.toString());
        }
    }

    static Level parse(String level) {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warning", "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> Level.INFO;
        };
    }
}
