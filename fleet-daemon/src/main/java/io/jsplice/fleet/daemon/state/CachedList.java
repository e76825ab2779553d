package io.jsplice.fleet.daemon.state;

import io.jsplice.fleet.api.UpdateList;
import java.time.Instant;

/**
 * The last update list the server sent, with its ETag: what the next conditional poll sends, and
 * what the daemon applies from while the server is unreachable. {@code STATE/updates.json}.
 *
 * @param etag the list's entity tag
 * @param list the list
 * @param at when it was fetched
 */
public record CachedList(String etag, UpdateList list, Instant at) {
  public static final String FILE = "updates.json";
}
