package dev.flotilla.agent.fleet;

import java.util.List;

/** A check-in answer: the token to send back next time and the actions to run. */
public record CheckinResponse(String ackToken, List<Action> actions) {
    public CheckinResponse {
        actions = List.copyOf(actions);
    }
}
