package io.jsplice.create.source;

/**
 * The diff does not fit the sources: a file it changes is not among them, or a hunk's context and
 * removed lines are found nowhere in the file. Usually the diff was made against another version of
 * the library.
 */
public final class PatchDoesNotApplyException extends SourcePatchException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String hunk;

  PatchDoesNotApplyException(String file, String hunk, String message) {
    super(message);
    this.file = file;
    this.hunk = hunk;
  }

  /** The file as the diff names it, or as found in the sources when it was found. */
  public String file() {
    return file;
  }

  /** The hunk header that failed ({@code @@ -409,6 +409,12 @@}); null when the file is missing. */
  public String hunk() {
    return hunk;
  }
}
