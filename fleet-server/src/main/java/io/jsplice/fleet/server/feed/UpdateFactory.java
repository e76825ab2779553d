package io.jsplice.fleet.server.feed;

import java.util.List;

/**
 * What the automatic feed needs from outside the server: the releases a Maven repository has, and
 * an update built from two of them with the {@code create} engine and signed with the feed's key.
 * The server depends on no builder; {@code jsplice server --feed-key} plugs one in.
 *
 * <p>Implementations are called from the feed's one thread.
 */
public interface UpdateFactory {
  /** The repository watched, as an operator would name it. */
  String repository();

  /**
   * The released versions of {@code groupId:artifactId}, in any order.
   *
   * @throws Exception when the repository cannot be asked
   */
  List<String> versions(String groupId, String artifactId) throws Exception;

  /**
   * Builds and signs the update from release {@code from} to release {@code to}.
   *
   * @param id the update's id
   * @param cves the CVEs it fixes, by the imported advisories; may be empty
   * @throws Exception with a one-line message when it cannot
   */
  Built build(
      String id,
      String description,
      String groupId,
      String artifactId,
      String from,
      String to,
      List<String> cves)
      throws Exception;

  /**
   * A built update.
   *
   * @param signed the signed update file
   * @param tripwires how many tripwires it carries
   */
  record Built(byte[] signed, int tripwires) {}
}
