package io.jsplice.fleet.api;

import java.util.List;

/**
 * One class of an update, as its analysis classified it.
 *
 * @param name the class's binary name
 * @param status {@code MODIFIED}, {@code ADDED} or {@code REMOVED}
 * @param verdict {@code LIVE}, {@code LIVE_NEEDS_HOOK} or {@code NOT_LIVE}
 * @param changes how many changes the comparison found in it
 * @param mechanisms how it is applied live
 * @param notes sentences for an operator
 */
public record ClassAnalysis(
    String name,
    String status,
    String verdict,
    int changes,
    List<String> mechanisms,
    List<String> notes) {

  public ClassAnalysis {
    mechanisms = Lists.copy(mechanisms);
    notes = Lists.copy(notes);
  }
}
