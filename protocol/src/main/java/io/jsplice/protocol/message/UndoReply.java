package io.jsplice.protocol.message;

import java.util.List;

/**
 * An update undone.
 *
 * @param undone its id
 * @param restored the classes switched back, sorted
 * @param record what became of the service's record
 */
public record UndoReply(String undone, List<String> restored, RecordChange record) {}
