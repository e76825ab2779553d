package io.jsplice.fleet.api;

/**
 * Creates a group or changes its policy ({@code PUT /api/v1/groups/NAME}).
 *
 * @param policy the policy
 */
public record GroupSettings(ApplyPolicy policy) {}
