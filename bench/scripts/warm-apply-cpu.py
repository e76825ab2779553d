#!/usr/bin/env python3
"""CPU (user+sys, from wait4 via getrusage(RUSAGE_CHILDREN)) of a warm `bin/jsplice apply` and
`undo` of a 1-class signed update, per build, interleaved with `java -version`: each build (a
packaged tree: ROOT/bin/jsplice) gets its own target JVM with its agent loaded (one cold apply and
undo, then one warm pair) before the measured rounds; the builds' order alternates per round.
Prints medians and their ratio to `java -version`'s, then every round.
Usage: python3 warm-apply-cpu.py ROUNDS NAME=ROOT [NAME=ROOT ...]
(JAVA_HOME: the JDK of the targets and of `java -version`, default JDK 17.)"""
import os, statistics, subprocess, sys, tempfile

import applybench

JDK = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
W = tempfile.mkdtemp(prefix="jsplice-warm-apply-")
env = dict(os.environ, JAVA_HOME=JDK)
rounds = int(sys.argv[1])
builds = [a.split("=", 1) for a in sys.argv[2:]]


def cpu(cmd, check=True):
    return applybench.timed(cmd, env, check)


def setup():
    subprocess.run(["rm", "-rf", W], check=True)
    applybench.make_update(
        builds[0][1] + "/bin/jsplice", W, JDK, env,
        "public class Target { public static void main(String[] a) throws Exception {"
        " System.out.println(\"ready\"); System.out.flush();"
        " Class.forName(a[0]).getMethod(\"of\", String.class).invoke(null, \"x\");"
        " Thread.sleep(3_600_000); } }")


def start_target():
    p = subprocess.Popen([JDK + "/bin/java", "-XX:+UseSerialGC", "-cp", W + "/v1", W + "/Target.java",
                          "training.Greeting"], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


setup()
targets = {}
for name, root in builds:
    t = start_target()
    targets[name] = t
    js = root + "/bin/jsplice"
    apply = [js, "apply", str(t.pid), W + "/update.jsplice", "--trust", W + "/key.pem"]
    print(name, "cold:", cpu(apply)[2].splitlines()[0])
    cpu([js, "undo", str(t.pid), "bench-update"])
    # one warm pair before measuring
    cpu(apply); cpu([js, "undo", str(t.pid), "bench-update"])

print("uptime before:", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
cols = {"java -version": []}
for name, _ in builds:
    cols[name + " apply"] = []
    cols[name + " undo"] = []
walls = {k: [] for k in cols}
for r in range(rounds):
    order = builds if r % 2 == 0 else list(reversed(builds))
    c, w, _ = cpu([JDK + "/bin/java", "-version"])
    cols["java -version"].append(c); walls["java -version"].append(w)
    for name, root in order:
        js = root + "/bin/jsplice"
        pid = str(targets[name].pid)
        c, w, out = cpu([js, "apply", pid, W + "/update.jsplice", "--trust", W + "/key.pem"])
        if r == 0:
            print(name, "warm:", out.splitlines()[0])
        cols[name + " apply"].append(c); walls[name + " apply"].append(w)
        c, w, _ = cpu([js, "undo", pid, "bench-update"])
        cols[name + " undo"].append(c); walls[name + " undo"].append(w)
print("uptime after: ", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
for t in targets.values():
    t.kill(); t.wait()

jv = statistics.median(cols["java -version"])
print("\n%d rounds, medians; ratio = median CPU / median CPU of java -version" % rounds)
print("%-22s %9s %9s %9s" % ("", "CPU ms", "/ java-v", "wall ms"))
for k in cols:
    m = statistics.median(cols[k])
    print("%-22s %9.0f %8.2fx %9.0f" % (k, m, m / jv, statistics.median(walls[k])))
print("\nper round, CPU ms:")
print(" | ".join(cols))
for r in range(rounds):
    print(" | ".join("%.0f" % cols[k][r] for k in cols))
subprocess.run(["rm", "-rf", W])
