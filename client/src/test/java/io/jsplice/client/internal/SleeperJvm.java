package io.jsplice.client.internal;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import io.jsplice.testkit.TargetJvm;
import io.jsplice.testkit.TestUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A target JVM that prints "sleeping" and sleeps ten minutes: nothing else runs in it. */
final class SleeperJvm {
  private SleeperJvm() {}

  /** Started on {@code jdk} as this JVM's user, its class compiled under {@code dir}. */
  static TargetJvm start(Jdk jdk, Path dir) throws IOException {
    return TargetJvm.on(jdk).classpath(classes(dir)).mainClass("Sleeper").start();
  }

  /**
   * Started on {@code jdk} as {@code user}, in {@code readable} (a directory every user can read,
   * {@link TestUsers#readableDirectory}), where its class is compiled.
   */
  static TargetJvm startAs(Jdk jdk, TestUsers.User user, Path readable) throws IOException {
    Path classes =
        TestUsers.readableCopy(classes(readable), Files.createDirectories(readable.resolve("cp")));
    return TargetJvm.on(jdk)
        .asUser(user)
        .classpath(classes)
        .directory(readable)
        .mainClass("Sleeper")
        .start();
  }

  private static Path classes(Path dir) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("sleeper"));
    Jars.writeDirectory(
        classes,
        Compiler.with(Jdk.current())
            .options("--release", "17")
            .compile(
                "Sleeper.java",
                """
                public class Sleeper {
                  public static void main(String[] args) throws Exception {
                    System.out.println("sleeping");
                    Thread.sleep(600_000);
                  }
                }
                """));
    return classes;
  }
}
