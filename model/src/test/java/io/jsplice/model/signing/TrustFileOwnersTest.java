package io.jsplice.model.signing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jsplice.testkit.TestUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trusted certificates another user could replace are refused before they are read: that user would
 * choose the code root's jsplice (or the fleet daemon) puts into JVMs.
 */
class TrustFileOwnersTest {
  @TempDir Path dir;

  @Test
  void check_acceptsOwnFilesInPrivateDirectories_belowTheStickyTmp() throws IOException {
    Path certificate = Files.writeString(dir.resolve("publisher.pem"), "");
    Path keys = Files.createDirectory(dir.resolve("keys"));
    Files.writeString(keys.resolve("a.pem"), "");

    assertThatCode(() -> TrustFileOwners.check(List.of(certificate, keys), "jsplice"))
        .doesNotThrowAnyException();
  }

  @Test
  void check_refusesACertificateInADirectoryOthersCanWrite() throws IOException {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path certificate = Files.writeString(open.resolve("publisher.pem"), "");

    assertThatThrownBy(() -> TrustFileOwners.check(List.of(certificate), "jsplice"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            open
                + ", a directory above the trusted certificates "
                + certificate
                + ", is writable by other users, who could replace them; chmod go-w "
                + open
                + " before trusting them");
  }

  @Test
  void check_refusesALinkToAGoodFile_fromADirectoryOthersCanWrite() throws IOException {
    Path certificate = Files.writeString(dir.resolve("publisher.pem"), "");
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path link = Files.createSymbolicLink(open.resolve("publisher.pem"), certificate);

    assertThatThrownBy(() -> TrustFileOwners.check(List.of(link), "jsplice"))
        .hasMessageStartingWith(open + ", a directory above the trusted certificates " + link);
  }

  @Test
  void check_refusesAGroupWritableCertificateInATrustedDirectory() throws IOException {
    Path keys = Files.createDirectory(dir.resolve("keys"));
    Files.writeString(keys.resolve("a.pem"), "");
    Path loose = Files.writeString(keys.resolve("b.pem"), "");
    Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-rw-r--"));

    assertThatThrownBy(() -> TrustFileOwners.check(List.of(keys), "the daemon"))
        .hasMessage(
            loose + " is writable by other users; chmod go-w " + loose + " before trusting it");
  }

  @Test
  void check_asRoot_refusesACertificateAnotherUserOwns() throws IOException {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    Path certificate = Files.writeString(dir.resolve("publisher.pem"), "");
    TestUsers.chown(certificate, TestUsers.b());

    assertThatThrownBy(() -> TrustFileOwners.check(List.of(certificate), "jsplice"))
        .hasMessage(
            certificate
                + " belongs to uid "
                + TestUsers.b().uid()
                + "; jsplice trusts only its own user's or root's files");
  }

  @Test
  void check_asRoot_refusesADirectoryAboveTheCertificatesThatAnotherUserOwns() throws IOException {
    String why = TestUsers.cannotRun();
    assumeTrue(why == null, () -> "skipped: " + why);
    Path theirs = Files.createDirectory(dir.resolve("theirs"));
    Path certificate = Files.writeString(theirs.resolve("publisher.pem"), "");
    TestUsers.chown(theirs, TestUsers.b());

    assertThatThrownBy(() -> TrustFileOwners.check(List.of(certificate), "jsplice"))
        .hasMessage(
            theirs
                + ", a directory above the trusted certificates "
                + certificate
                + ", belongs to uid "
                + TestUsers.b().uid()
                + "; jsplice trusts only certificates no other user can replace");
  }
}
