package io.jsplice.dist;

import io.jsplice.cli.CommandModel;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the reference shipped in the distribution archive from the command model {@code jsplice
 * --help} prints ({@link CommandModel.full()}): a bash completion script (picocli's {@link
 * AutoComplete}, also read by zsh's {@code bashcompinit}) and one AsciiDoc man page per command and
 * verb (picocli's {@link ManPageGenerator}), which the build turns into troff. Run by the build
 * only; never shipped.
 *
 * <p>Arguments: the version to print, the completion script's path, then the directory for the man
 * pages' AsciiDoc.
 */
public final class CommandReference {
  private CommandReference() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: CommandReference VERSION COMPLETION_FILE MAN_ADOC_DIR");
      System.exit(2);
    }
    CommandLine model = CommandModel.full();
    // The build's version: the CLI reads its own from the jar's manifest, which it has not here.
    model.getCommandSpec().version("jsplice " + args[0]);
    // Man pages are read in a terminal of any width: picocli's default 80 columns, not this one's.
    model.setUsageHelpAutoWidth(false);
    Path completion = Path.of(args[1]);
    Files.createDirectories(completion.toAbsolutePath().getParent());
    Files.writeString(completion, AutoComplete.bash("jsplice", model), StandardCharsets.UTF_8);
    File manDir = Files.createDirectories(Path.of(args[2])).toFile();
    int status =
        ManPageGenerator.generateManPage(
            manDir, null, new boolean[0], true, model.getCommandSpec());
    if (status != 0) {
      System.err.println("man pages: picocli's generator failed with status " + status);
      System.exit(status);
    }
  }
}
