package io.jsplice.protocol.message;

/**
 * What an apply or undo did to the service's record, which a restart reapplies.
 *
 * @param service the service's name; null when the agent has none
 * @param file the record file; null when the agent has no service
 * @param changed whether the record now says what the JVM runs
 * @param warning why the record does not, and what a restart will then do; null if all is well
 */
public record RecordChange(String service, String file, boolean changed, String warning) {}
