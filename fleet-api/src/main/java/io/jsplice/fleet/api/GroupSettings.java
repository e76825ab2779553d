package io.jsplice.fleet.api;

/**
 * Creates a group or changes its policy ({@code PUT /api/v1/groups/NAME}).
 *
 * @param policy the policy
 * @param acceptLeftOut {@link Group#acceptLeftOut}; null keeps a group's setting (off for a new
 *     group)
 */
public record GroupSettings(ApplyPolicy policy, Boolean acceptLeftOut) {}
