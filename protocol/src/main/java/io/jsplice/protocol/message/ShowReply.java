package io.jsplice.protocol.message;

import io.jsplice.model.InForce;
import io.jsplice.model.Verdict;
import io.jsplice.model.json.RecordCodec;
import java.util.List;

/**
 * What runs in the JVM, as uptrack-show says it for a kernel.
 *
 * @param updates the applied updates, oldest first
 * @param effective the effective version of each patched library
 * @param loadedAfterApply classes of applied updates that loaded later, patched or not
 * @param service the service's record; never null
 */
public record ShowReply(
    List<Update> updates,
    List<EffectiveVersion> effective,
    List<LoadEvent> loadedAfterApply,
    ServiceState service) {

  /**
   * One applied update.
   *
   * @param appliedAt ISO-8601 instant
   * @param appliedBy the user who asked, as the kernel named the peer
   * @param reapplied whether it came from the service's record when the JVM started
   * @param changes one line per class: name, number of changes, status
   * @param inForce whether the fix is in force for all state, or only partly (accepted at apply)
   * @param notInForce what may keep the old behaviour, one line each
   * @param hooks the update's hooks (binary names): where its analysis found state built before it
   *     that jsplice cannot bring to the fixed state, those the operator gave answer for it
   */
  public record Update(
      String id,
      String description,
      List<String> cves,
      List<Artifact> artifacts,
      String appliedAt,
      String appliedBy,
      boolean reapplied,
      Verdict verdict,
      List<String> switched,
      List<String> pending,
      List<String> dependsOn,
      List<String> forcedFrames,
      List<String> warnings,
      List<String> changes,
      InForce inForce,
      List<String> notInForce,
      List<String> hooks) {}

  /** A library the update patches, from which release to which; versions may be null. */
  public record Artifact(String groupId, String artifactId, String fromVersion, String toVersion) {}

  /**
   * A class of an applied update that loaded after the apply.
   *
   * @param className its binary name
   * @param origin its loader and where its code came from
   * @param update the update installed in it; null when it was not patched
   * @param mismatch why it was not patched; null when it was
   */
  public record LoadEvent(String className, String origin, String update, String mismatch) {
    static {
      RecordCodec.declareName(LoadEvent.class, "className", "class");
    }
  }
}
