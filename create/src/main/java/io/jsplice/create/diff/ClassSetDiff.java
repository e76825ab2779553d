package io.jsplice.create.diff;

import io.jsplice.create.source.ClassSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The comparison of two versions of a set of classes.
 *
 * @param pre the vulnerable code
 * @param post the fixed code
 * @param classes every class that differs (modified, added, removed), by {@link ClassDiff#name()};
 *     classes identical up to normalization are left out, renamed-but-identical ones included
 * @param renamedClasses post internal name to pre internal name for classes paired by content under
 *     a different name (renumbered anonymous or synthetic classes)
 */
public record ClassSetDiff(
    ClassSet pre, ClassSet post, List<ClassDiff> classes, Map<String, String> renamedClasses) {

  public ClassSetDiff {
    classes = List.copyOf(classes);
    renamedClasses = Map.copyOf(renamedClasses);
  }

  public Optional<ClassDiff> find(String internalName) {
    return classes.stream().filter(c -> c.name().equals(internalName)).findFirst();
  }
}
