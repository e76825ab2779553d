package io.jsplice.fleet.api;

/**
 * Every error reply's body.
 *
 * @param status the HTTP status
 * @param error what kind of error
 * @param message one line: what happened and what to do next
 * @param cause for a refused update, the jsplice failure cause ({@code NOT_SIGNED}, {@code
 *     SIGNATURE_MISMATCH}, {@code UNTRUSTED_SIGNER}, {@code CORRUPT_UPDATE}); null otherwise
 */
public record ApiError(int status, ErrorCode error, String message, String cause) {}
