package io.jsplice.agent.engine;

import java.util.Objects;

/**
 * One update's code for one class: what the class must run before (its pre fingerprint), what it
 * runs after (the post fingerprint and the bytes to install).
 *
 * @param updateId the update this belongs to
 * @param className internal name
 * @param preFingerprint the fingerprint of the code this installation replaces
 * @param postFingerprint the fingerprint of the fixed class as built
 * @param bytes the class file to install; shared, never modified
 * @param structural whether the installed class needs support classes (companion, added classes);
 *     an update built on top of this one's code for this class cannot then stack on it
 * @param recordedSha256 the SHA-256 of the recorded update file it was read from, at a start that
 *     applies the service's record again; null when applied in this JVM's life
 */
record Installation(
    String updateId,
    String className,
    String preFingerprint,
    String postFingerprint,
    byte[] bytes,
    boolean structural,
    String recordedSha256) {

  Installation {
    Objects.requireNonNull(updateId);
    Objects.requireNonNull(className);
    Objects.requireNonNull(preFingerprint);
    Objects.requireNonNull(postFingerprint);
    Objects.requireNonNull(bytes);
  }
}
