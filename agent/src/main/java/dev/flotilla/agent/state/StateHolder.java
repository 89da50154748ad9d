package dev.flotilla.agent.state;

import java.util.function.UnaryOperator;

/** The running agent's current state: every change is saved (encrypted) before it is visible. Thread-safe. */
public final class StateHolder {
    private final StateStore store;
    private AgentState current;
    private boolean erased;

    public StateHolder(StateStore store, AgentState initial) {
        this.store = store;
        this.current = initial;
    }

    public synchronized AgentState get() {
        return current;
    }

    /** Applies {@code change}, saves the result and returns it. */
    public synchronized AgentState update(UnaryOperator<AgentState> change) {
        AgentState next = change.apply(current);
        if (!erased) {
            store.save(next);
        }
        current = next;
        return next;
    }

    /** Removes the stored state and credentials (after an unenroll). */
    public synchronized void erase() {
        erased = true;
        store.delete();
    }
}
