package dev.flotilla.agent.fleet;

/** The result of one action, sent to {@code /acks}; {@code error} null when it succeeded. */
public record AckEvent(String actionId, String actionType, String error) {
    public static AckEvent ok(Action a) {
        return new AckEvent(a.id(), a.type(), null);
    }

    public static AckEvent failed(Action a, String error) {
        return new AckEvent(a.id(), a.type(), error);
    }
}
