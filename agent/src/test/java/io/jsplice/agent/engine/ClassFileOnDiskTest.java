package io.jsplice.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsplice.testkit.Jars;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassFileOnDiskTest {
  private static final byte[] CLASS_FILE = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 1};

  @TempDir Path dir;

  @Test
  void read_findsTheClassFileInItsJar() throws Exception {
    Path jar = Jars.write(dir.resolve("lib.jar"), Map.of("p/Foo", CLASS_FILE));

    assertThat(ClassFileOnDisk.read(domain(jar.toUri().toURL()), "p/Foo")).isEqualTo(CLASS_FILE);
    assertThat(ClassFileOnDisk.read(domain(jar.toUri().toURL()), "p/Bar")).isNull();
  }

  @Test
  void read_findsTheClassFileInItsClassDirectory() throws Exception {
    Path classes = Jars.writeDirectory(dir.resolve("classes"), Map.of("p/Foo", CLASS_FILE));

    assertThat(ClassFileOnDisk.read(domain(classes.toUri().toURL()), "p/Foo"))
        .isEqualTo(CLASS_FILE);
  }

  @Test
  void read_saysNothingWithoutALocalCodeSource() throws Exception {
    assertThat(ClassFileOnDisk.read(null, "p/Foo")).isNull();
    assertThat(ClassFileOnDisk.read(new ProtectionDomain(null, null), "p/Foo")).isNull();
    assertThat(ClassFileOnDisk.read(domain(new URL("http://example.org/lib.jar")), "p/Foo"))
        .isNull();
    assertThat(ClassFileOnDisk.read(domain(dir.resolve("missing.jar").toUri().toURL()), "p/Foo"))
        .isNull();
  }

  private static ProtectionDomain domain(URL location) {
    return new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null);
  }
}
