package io.jsplice.agent.control;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.UnixDomainPrincipal;

/**
 * Who may use the control channel: the JVM's own user and root, the same rule as the JDK's attach
 * mechanism. Decided per connection from the peer's credentials ({@code SO_PEERCRED}), which the
 * kernel records at connect time and a client cannot forge.
 */
final class PeerPolicy {
  private final UserPrincipal self;
  private final UserPrincipal root;

  private PeerPolicy(UserPrincipal self, UserPrincipal root) {
    this.self = self;
    this.root = root;
  }

  /** The JVM's user (the owner of {@code /proc/self}) and root. */
  static PeerPolicy ownUserOrRoot() throws IOException {
    UserPrincipal self = Files.getOwner(Path.of("/proc/self"));
    // A numeric name is looked up as a uid when no user has that name: this is uid 0, whatever
    // the root account is called. Unix principals compare by uid.
    UserPrincipal root =
        FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("0");
    return new PeerPolicy(self, root);
  }

  boolean permits(UnixDomainPrincipal peer) {
    return peer.user().equals(self) || peer.user().equals(root);
  }

  /** Who is served, for messages: {@code root}, or {@code app and root}. */
  String served() {
    return self.equals(root) ? "root" : self.getName() + " and root";
  }
}
