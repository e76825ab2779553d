#!/usr/bin/env python3
"""Thread CPU time and classes loaded of the CLI's check of a signed update, in a fresh JVM per run:
`UpdatePayload.read(update, [certificate])` (the trusted key read) and then `.verify()` (the
signature and every entry and class file checked), as `jsplice apply --trust` does before it
attaches, on ROOT/lib/jsplice-plain.jar without the CLI's class data sharing archive (the JDK's own
is on). Builds and JDKs interleaved per round. The update is a 1-class signed update made by the
first build (as cold-apply.py's).
Usage: python3 verify-cpu.py ROUNDS NAME=ROOT [NAME=ROOT ...]
(JDKS: colon-separated JDK homes, default JDK 17 and Temurin 25.)"""
import os, statistics, subprocess, sys, tempfile

import applybench

JDKS = os.environ.get("JDKS", "/usr/lib/jvm/java-17-openjdk-amd64:/usr/lib/jvm/temurin-25-jdk-amd64").split(":")
W = tempfile.mkdtemp(prefix="jsplice-verify-cpu-")
env = dict(os.environ, JAVA_HOME=JDKS[0])
rounds = int(sys.argv[1])
VM = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:CompileThresholdScaling=10", "-XX:-UsePerfData"]  # bin/jsplice's
builds = [a.split("=", 1) for a in sys.argv[2:]]

PROBE = """
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
public class VerifyProbe {
  public static void main(String[] a) throws Exception {
    var threads = ManagementFactory.getThreadMXBean();
    var classes = ManagementFactory.getClassLoadingMXBean();
    long c0 = classes.getTotalLoadedClassCount(), t0 = threads.getCurrentThreadCpuTime();
    var payload = io.jsplice.client.UpdatePayload.read(Path.of(a[0]), List.of(Path.of(a[1])));
    long c1 = classes.getTotalLoadedClassCount(), t1 = threads.getCurrentThreadCpuTime();
    var verified = payload.verify();
    long c2 = classes.getTotalLoadedClassCount(), t2 = threads.getCurrentThreadCpuTime();
    if (!verified.id().equals("bench-update")) throw new AssertionError(verified.id());
    System.out.println((t1 - t0) / 1e6 + " " + (t2 - t1) / 1e6 + " " + (c1 - c0) + " " + (c2 - c1));
  }
}
"""

applybench.make_update(builds[0][1] + "/bin/jsplice", W, JDKS[0], env,
                       "public class Target { public static void main(String[] a) {} }")
for name, root in builds:
    os.makedirs(W + "/probe-" + name)
    open(W + "/probe-%s/VerifyProbe.java" % name, "w").write(PROBE)
    subprocess.run([JDKS[0] + "/bin/javac", "--release", "17", "-cp", root + "/lib/jsplice-plain.jar",
                    "-d", W + "/probe-" + name, W + "/probe-%s/VerifyProbe.java" % name], check=True)
print("uptime before:", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
cols = {}
for r in range(rounds):
    order = builds if r % 2 == 0 else list(reversed(builds))
    for jdk in JDKS:
        for name, root in order:
            out = subprocess.run([jdk + "/bin/java"] + VM + ["-cp",
                                  root + "/lib/jsplice-plain.jar:" + W + "/probe-" + name, "VerifyProbe",
                                  W + "/update.jsplice", W + "/key.pem"],
                                 stdout=subprocess.PIPE, text=True, check=True).stdout.split()
            key = "%s JDK %s" % (name, os.path.basename(jdk))
            cols.setdefault(key, []).append([float(x) for x in out])
print("uptime after: ", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
print("\n%d rounds, medians (fresh JVM each): thread CPU ms and classes loaded" % rounds)
print("%-50s %9s %9s %9s %9s" % ("", "read ms", "verify ms", "read cls", "verify cls"))
for k, v in cols.items():
    print("%-50s %9.1f %9.1f %9.0f %9.0f" % ((k,) + tuple(statistics.median(x[i] for x in v) for i in range(4))))
subprocess.run(["rm", "-rf", W])
