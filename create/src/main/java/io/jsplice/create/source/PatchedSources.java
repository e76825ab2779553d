package io.jsplice.create.source;

import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A unified diff applied in memory to a {@link SourceTree}: for each Java file it changes, the text
 * before and after. Parsing and hunk application are java-diff-utils'.
 *
 * <p>Hunks apply like {@code git apply}: their context and removed lines must match exactly, but
 * may sit at other line numbers than the header says (the diff may come from a neighbouring
 * version).
 *
 * <p>Files that are not Java, and Java files under a {@code src/test/} folder (a fix commit's
 * tests), are ignored, and listed as such.
 *
 * <p>Immutable.
 */
final class PatchedSources {
  private static final String NO_FILE = "/dev/null";
  private static final Pattern HUNK_HEADER = Pattern.compile("(?m)^@@\\s+-\\d");

  /**
   * One changed compilation unit.
   *
   * @param path relative to the sources root
   * @param before null when the diff adds the file
   * @param after null when the diff deletes the file
   */
  record Unit(String path, String before, String after) {}

  private final Map<String, Unit> units;
  private final List<String> ignored;

  private PatchedSources(Map<String, Unit> units, List<String> ignored) {
    this.units = units;
    this.ignored = List.copyOf(ignored);
  }

  /** The changed units by path, in path order. */
  Map<String, Unit> units() {
    return units;
  }

  /** Files of the diff that were not applied, as the diff names them. */
  List<String> ignored() {
    return ignored;
  }

  static PatchedSources apply(SourceTree tree, Path diff)
      throws IOException, MalformedPatchException, PatchDoesNotApplyException {
    String diffName = diff.getFileName().toString();
    UnifiedDiff parsed = parse(diffName, SourceTree.decode(Files.readAllBytes(diff)));
    Map<String, Unit> units = new TreeMap<>();
    List<String> ignored = new ArrayList<>();
    for (UnifiedDiffFile file : parsed.getFiles()) {
      if (file.getRenameFrom() != null || file.getCopyFrom() != null) {
        throw new MalformedPatchException(
            diffName
                + " renames or copies "
                + file.getFromFile()
                + ": not supported; give it as a deletion and an addition (git diff --no-renames)");
      }
      boolean added = NO_FILE.equals(file.getFromFile());
      boolean deleted = NO_FILE.equals(file.getToFile());
      String named = deleted || file.getToFile() == null ? file.getFromFile() : file.getToFile();
      String path = named == null ? null : pathInSources(tree, diffName, named, added);
      if (path == null) {
        ignored.add(named == null ? "(a file with no name)" : named);
        continue;
      }
      if (units.containsKey(path)) {
        throw new MalformedPatchException(diffName + " changes " + path + " twice");
      }
      String before = added ? null : tree.text(path);
      // A deletion's hunks are checked too, like git apply does, before the text is dropped.
      String patched = patch(diffName, path, before == null ? "" : before, file);
      units.put(path, new Unit(path, before, deleted ? null : patched));
    }
    if (units.isEmpty()) {
      throw new MalformedPatchException(
          diffName
              + " changes no Java source"
              + (ignored.isEmpty() ? "" : " (only " + ignored + ")"));
    }
    return new PatchedSources(units, ignored);
  }

  /**
   * Where a file the diff names is in the sources; null for a file to ignore (not Java, or a test
   * source).
   */
  private static String pathInSources(SourceTree tree, String diffName, String named, boolean added)
      throws PatchDoesNotApplyException {
    if (!named.endsWith(".java") || isTestSource(named)) {
      return null;
    }
    String path = added ? tree.locateNew(named) : tree.locate(named);
    if (path == null) {
      throw new PatchDoesNotApplyException(
          named,
          null,
          diffName
              + " changes "
              + named
              + (added ? ", which belongs to a package that " : ", which ")
              + tree.name()
              + " does not have (also looked for it with leading directories removed); check"
              + " that the sources and the diff are of the same library");
    }
    if (added && path != null && tree.text(path) != null) {
      throw new PatchDoesNotApplyException(
          path, null, diffName + " adds " + path + ", which " + tree.name() + " already has");
    }
    return path;
  }

  /**
   * Parses with the reader's platform-charset decoding in mind: the text is re-encoded in that
   * charset, which round-trips exactly when the charset can represent it (always with UTF-8, the
   * default from JDK 18).
   */
  private static UnifiedDiff parse(String diffName, String text)
      throws MalformedPatchException, IOException {
    Charset platform = Charset.defaultCharset();
    if (!platform.newEncoder().canEncode(text)) {
      throw new MalformedPatchException(
          diffName
              + " has characters the platform charset "
              + platform
              + " cannot represent; run with -Dfile.encoding=UTF-8");
    }
    try {
      UnifiedDiff parsed =
          UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(text.getBytes(platform)));
      if (parsed.getFiles().isEmpty()) {
        throw new MalformedPatchException(diffName + " is not a unified diff: it names no file");
      }
      requireEveryHunk(diffName, text, parsed);
      return parsed;
    } catch (RuntimeException e) { // UnifiedDiffParserException among others
      throw new MalformedPatchException(
          diffName + " is not a unified diff (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The reader ends a hunk when it has read as many lines as the header announces, and silently
   * drops a hunk that the file ends before: a truncated diff must not apply partly.
   */
  private static void requireEveryHunk(String diffName, String text, UnifiedDiff parsed)
      throws MalformedPatchException {
    long headers = HUNK_HEADER.matcher(text).results().count();
    long read = parsed.getFiles().stream().mapToLong(f -> f.getPatch().getDeltas().size()).sum();
    if (read != headers) {
      throw new MalformedPatchException(
          diffName
              + " has "
              + headers
              + " hunks but only "
              + read
              + " are complete: a hunk is truncated or its header's line counts are wrong");
    }
  }

  private static String patch(String diffName, String path, String text, UnifiedDiffFile file)
      throws PatchDoesNotApplyException {
    Lines lines = Lines.split(text);
    Patch<String> patch = file.getPatch();
    List<AbstractDelta<String>> failed = new ArrayList<>(1);
    patch.withConflictOutput(
        (verify, delta, result) -> {
          failed.add(delta);
          throw new PatchFailedException(verify.toString());
        });
    try {
      // Fuzz 0: every context line must match; only the position may differ.
      return lines.join(patch.applyFuzzy(lines.lines(), 0));
    } catch (PatchFailedException | RuntimeException e) {
      String hunk = failed.isEmpty() ? "(unknown hunk)" : header(failed.get(0));
      String where =
          failed.isEmpty()
              ? ""
              : ": its context and removed lines ("
                  + range(failed.get(0).getSource())
                  + ")"
                  + " are found nowhere in the file";
      throw new PatchDoesNotApplyException(
          path,
          hunk,
          "hunk "
              + hunk
              + " of "
              + diffName
              + " does not apply to "
              + path
              + where
              + "; check that the diff was made against this version of the sources");
    }
  }

  private static boolean isTestSource(String diffPath) {
    String path = "/" + diffPath.replace('\\', '/');
    return path.contains("/src/test/");
  }

  /** The hunk's header as the diff wrote it. */
  private static String header(AbstractDelta<String> delta) {
    return "@@ -"
        + start(delta.getSource())
        + ","
        + delta.getSource().size()
        + " +"
        + start(delta.getTarget())
        + ","
        + delta.getTarget().size()
        + " @@";
  }

  private static String range(Chunk<String> chunk) {
    int start = start(chunk);
    return chunk.size() == 0
        ? "at line " + start
        : "lines " + start + "-" + (start + chunk.size() - 1);
  }

  /** The 1-based line a chunk starts at, as a unified diff header gives it. */
  private static int start(Chunk<String> chunk) {
    // The reader stores an empty range at the line after the one its header names.
    return chunk.size() == 0 ? chunk.getPosition() : chunk.getPosition() + 1;
  }

  /** A text as lines, remembering the line separator and whether it ends with one. */
  private record Lines(List<String> lines, String separator, boolean finalSeparator) {
    static Lines split(String text) {
      String separator = text.contains("\r\n") ? "\r\n" : "\n";
      boolean finalSeparator = text.endsWith("\n");
      String body =
          text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : finalSeparator ? 1 : 0));
      List<String> lines =
          text.isEmpty()
              ? new ArrayList<>()
              : new ArrayList<>(Arrays.asList(body.split("\r?\n", -1)));
      return new Lines(lines, separator, finalSeparator || text.isEmpty());
    }

    String join(List<String> patched) {
      String joined = String.join(separator, patched);
      return finalSeparator && !patched.isEmpty() ? joined + separator : joined;
    }
  }
}
