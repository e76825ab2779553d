package io.jsplice.fleet.api;

/**
 * The server's acknowledgement of a {@link HostReport}: it is stored (committed) when this is sent.
 *
 * @param id the report's id
 * @param duplicate whether the server had stored it already
 */
public record ReportReceipt(String id, boolean duplicate) {}
