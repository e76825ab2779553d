package io.jsplice.protocol.message;

/**
 * What uptrack-uname says for a kernel, per library an applied update patches: the version on disk
 * and the one its code effectively is ("commons-text 1.9, effectively 1.10.0").
 *
 * @param artifact the artifact id
 * @param groupId may be null
 * @param version the version the update was built from; may be null
 * @param effectively the version the code now is; null when the update names none
 * @param line the sentence for people
 */
public record EffectiveVersion(
    String artifact, String groupId, String version, String effectively, String line) {}
