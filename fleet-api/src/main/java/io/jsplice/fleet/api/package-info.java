/**
 * The fleet's wire types: one record per request or reply of the REST API ({@code /api/v1}), with
 * the JSON form {@link io.jsplice.fleet.api.FleetJson} gives them, shared by the server, the host
 * daemon and the admin verbs. Enums, not strings, for every closed set of values; lists are never
 * null (an absent list reads as empty). Fields that may be null say so.
 *
 * <p>Compatibility: readers ignore fields they do not know, so a newer server can add fields
 * without breaking older daemons; a field is never removed or repurposed within {@code /api/v1}.
 */
package io.jsplice.fleet.api;
