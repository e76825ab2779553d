package io.jsplice.fleet.api;

/**
 * The answer to a publish.
 *
 * @param update the update as stored
 * @param alreadyPublished whether these exact bytes were published before (nothing changed)
 */
public record PublishReceipt(PublishedUpdate update, boolean alreadyPublished) {}
