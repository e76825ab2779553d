package io.jsplice.create.live;

import io.jsplice.create.diff.BytecodeDiff;
import io.jsplice.create.source.ClassSet;
import io.jsplice.model.UpdatePackage;
import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jdk;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/** Plans an update between two versions of a few sources, compiled here, for the planner tests. */
final class LiveScenario {
  private LiveScenario() {}

  /**
   * @param pre sources keyed by path ({@code p/Foo.java})
   * @param post the same, fixed
   */
  static LivePlanner.Plan plan(Map<String, String> pre, Map<String, String> post, String id) {
    Compiler javac = Compiler.with(Jdk.current()).options("--release", "17");
    ClassSet before = new ClassSet("pre", javac.compile(pre), List.of());
    ClassSet after = new ClassSet("post", javac.compile(post), List.of());
    return LivePlanner.plan(BytecodeDiff.compare(before, after), id);
  }

  /** The class the update installs under {@code internalName}, or null if it installs none. */
  static ClassNode installed(LivePlanner.Plan plan, String internalName) {
    byte[] bytes = plan.files().get(UpdatePackage.INSTALL + internalName + ".class");
    if (bytes == null) {
      return null;
    }
    ClassNode node = new ClassNode();
    new ClassReader(bytes).accept(node, 0);
    return node;
  }
}
