package dev.flotilla.server.store;

import java.util.List;

/** What was written since a cursor (by this process or another one sharing the store), and the next cursor. */
public record StoreChanges(List<PolicyRevision> policies, List<ActionRecord> actions, StoreCursor next) {
    public StoreChanges {
        policies = List.copyOf(policies);
        actions = List.copyOf(actions);
    }

    public boolean isEmpty() {
        return policies.isEmpty() && actions.isEmpty();
    }
}
