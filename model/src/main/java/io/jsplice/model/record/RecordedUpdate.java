package io.jsplice.model.record;

import io.jsplice.model.UpdateIds;
import io.jsplice.model.json.RecordCodec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One update in a {@link ServiceRecord}: which signed file holds it, and who applied it when.
 *
 * <p>Its components, in their order, are its JSON form in the record file ({@code applied.json}),
 * which agents of other versions read: renaming or reordering them changes the format. {@code
 * acceptedPartial} is written only when true, as before it existed.
 *
 * @param id the update's id
 * @param file the signed update file, relative to the service's directory ({@code
 *     updates/ID.jsplice}); a copy, byte for byte, of what the agent verified and applied
 * @param sha256 the SHA-256 of that file, 64 lower-case hex digits: a copy that was damaged or
 *     replaced since is refused before its signature is even checked
 * @param appliedAt when it was first applied to a JVM of the service
 * @param appliedBy who asked (the user the control channel saw)
 * @param classes the binary names of the classes the update modifies: a JVM starting with the agent
 *     holds these back as they load until it has verified and registered the update, so that none
 *     runs unpatched meanwhile. Not trusted for anything else: what is installed comes from the
 *     verified file.
 * @param acceptedPartial whether the operator accepted that the fix was only partly in force
 *     ({@code apply --accept-partial}): a JVM starting with the agent that finds the update's
 *     classes already loaded applies it again with the same acceptance
 */
public record RecordedUpdate(
    String id,
    String file,
    String sha256,
    Instant appliedAt,
    String appliedBy,
    List<String> classes,
    boolean acceptedPartial) {
  static {
    RecordCodec.declareOmitEmpty(RecordedUpdate.class, "acceptedPartial");
  }

  public RecordedUpdate {
    UpdateIds.check(id);
    Objects.requireNonNull(file, "file");
    if (file.startsWith("/") || file.contains("..") || file.contains("\\")) {
      throw new IllegalArgumentException(
          "the recorded file of " + id + " must stay inside the service directory: " + file);
    }
    if (sha256 == null || !isSha256(sha256)) {
      throw new IllegalArgumentException("the SHA-256 of " + id + " is not 64 hex digits");
    }
    Objects.requireNonNull(appliedAt, "appliedAt");
    appliedBy = appliedBy == null ? "unknown" : appliedBy;
    classes = List.copyOf(classes);
  }

  public RecordedUpdate(
      String id,
      String file,
      String sha256,
      Instant appliedAt,
      String appliedBy,
      List<String> classes) {
    this(id, file, sha256, appliedAt, appliedBy, classes, false);
  }

  /** Where the store keeps the file of update {@code id}, relative to the service's directory. */
  public static String fileFor(String id) {
    return "updates/" + UpdateIds.check(id) + ".jsplice";
  }

  /** 64 lower-case hex digits; checked by hand, not with a regular expression's classes. */
  private static boolean isSha256(String text) {
    if (text.length() != 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
