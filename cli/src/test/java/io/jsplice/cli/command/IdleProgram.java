package io.jsplice.cli.command;

import io.jsplice.testkit.Compiler;
import io.jsplice.testkit.Jars;
import io.jsplice.testkit.Jdk;
import java.io.IOException;
import java.nio.file.Path;

/** A program that prints {@code ready} and then waits: a JVM to list or examine. */
final class IdleProgram {
  static final String MAIN_CLASS = "Idle";

  private IdleProgram() {}

  /** Compiles it into {@code dir} and returns the class directory. */
  static Path classes(Path dir) throws IOException {
    return Jars.writeDirectory(
        dir,
        Compiler.with(Jdk.current())
            .compile(
                "Idle.java",
                "public class Idle { public static void main(String[] a) throws Exception {"
                    + " System.out.println(\"ready\"); Thread.sleep(600_000); } }"));
  }
}
