package dev.flotilla.agent.output;

/** The outcome of one {@code _bulk}: events accepted, and those refused for good (bad documents) and dropped. */
public record BulkResult(int accepted, int dropped, String firstDropReason) {
}
