package io.jsplice.bench;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.diff.ClassSetDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.create.source.ClassSetReader;
import java.io.IOException;
import java.nio.file.Path;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * The operations the benchmark times, over a pre and a post input (jars or class directories).
 *
 * @param pre the vulnerable version
 * @param post the fixed version
 */
record DiffOperations(Path pre, Path post) {
  /** Reads both inputs into class sets. */
  ClassSet[] read() throws IOException {
    return new ClassSet[] {ClassSetReader.read(pre), ClassSetReader.read(post)};
  }

  /**
   * The baseline: reads both inputs and parses every class into an ASM tree, skipping what the diff
   * skips (debug information, frames). The least any comparison of every class costs.
   *
   * @return how many methods the classes have (a result, so that the work cannot be skipped)
   */
  int readAndParse() throws IOException {
    int methods = 0;
    for (ClassSet set : read()) {
      for (byte[] bytes : set.classes().values()) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        methods += node.methods.size();
      }
    }
    return methods;
  }

  /** Reads both inputs and compares them. */
  ClassSetDiff readAndDiff() throws IOException {
    ClassSet[] sets = read();
    return BytecodeDiff.compare(sets[0], sets[1]);
  }
}
