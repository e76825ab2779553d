package io.jsplice.protocol.message;

import java.util.List;

/**
 * The short account of what is applied, for {@code status} and {@code ps}.
 *
 * @param applied the applied updates' ids, oldest first
 * @param effective the effective version of each patched library
 */
public record UpdatesSummary(List<String> applied, List<EffectiveVersion> effective) {}
