package io.jsplice.fleet.api;

/**
 * The fleet's new enrolment key, after an admin rotated it: shown once; the server keeps its hash,
 * and the server that rotated it writes it to its {@code enrol.key}. The old key enrols nothing
 * more; hosts enrolled keep their own secrets.
 *
 * @param key the key ({@code Authorization: Bearer} of an enrolment)
 */
public record EnrolmentKey(String key) {
  @Override
  public String toString() {
    return "EnrolmentKey[...]"; // never the key
  }
}
