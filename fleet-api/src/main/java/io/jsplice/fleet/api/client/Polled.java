package io.jsplice.fleet.api.client;

/**
 * The answer to a conditional poll.
 *
 * @param modified false when the server answered 304: the caller's copy is current
 * @param etag the current entity tag; never null when {@code modified}
 * @param value the new value; null unless {@code modified}
 */
public record Polled<T>(boolean modified, String etag, T value) {}
