#!/usr/bin/env python3
"""Wall and CPU time (user+sys, from wait4 via getrusage(RUSAGE_CHILDREN)) of a cold `bin/jsplice
apply` (a fresh target JVM without the agent: attach, agent load, apply) and of a warm one (the
agent present) of a 1-class signed update, per build, interleaved with `java -version`: each round
starts one fresh target per build (the builds' order alternates per round), waits until it prints
its line, applies cold, undoes, applies warm, and stops it. Prints medians and their ratio to
`java -version`'s, then every round.
Usage: python3 cold-apply.py ROUNDS NAME=ROOT [NAME=ROOT ...]   (ROOT: a packaged tree, ROOT/bin/jsplice)
(JAVA_HOME: the JDK of the targets, of the CLI and of `java -version`, default JDK 17.)"""
import os, statistics, subprocess, sys, tempfile

import applybench

JDK = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
W = tempfile.mkdtemp(prefix="jsplice-cold-apply-")
env = dict(os.environ, JAVA_HOME=JDK)
rounds = int(sys.argv[1])
builds = [a.split("=", 1) for a in sys.argv[2:]]


def run(cmd, check=True):
    return applybench.timed(cmd, env, check)


def setup():
    applybench.make_update(
        builds[0][1] + "/bin/jsplice", W, JDK, env,
        "public class Target { public static void main(String[] a) throws Exception {"
        " Class.forName(a[0]).getMethod(\"of\", String.class).invoke(null, \"x\");"
        " System.out.println(\"ready\"); System.out.flush();"
        " Thread.sleep(3_600_000); } }")
    subprocess.run([JDK + "/bin/javac", "-d", W, W + "/Target.java"], check=True)


def start_target():
    # The target's own CPU is not counted: it is no child that ended before the measurement.
    p = subprocess.Popen([JDK + "/bin/java", "-XX:+UseSerialGC", "-cp", W + "/v1:" + W, "Target",
                          "training.Greeting"], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    return p


setup()
print("uptime before:", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
cols = {"java -version": []}
for name, _ in builds:
    cols[name + " apply cold"] = []
    cols[name + " apply warm"] = []
walls = {k: [] for k in cols}
for r in range(rounds):
    order = builds if r % 2 == 0 else list(reversed(builds))
    c, w, _ = run([JDK + "/bin/java", "-version"])
    cols["java -version"].append(c); walls["java -version"].append(w)
    for name, root in order:
        js = root + "/bin/jsplice"
        t = start_target()
        try:
            apply = [js, "apply", str(t.pid), W + "/update.jsplice", "--trust", W + "/key.pem"]
            c, w, out = run(apply)
            if r == 0:
                print(name, "cold:", out.splitlines()[0])
            cols[name + " apply cold"].append(c); walls[name + " apply cold"].append(w)
            run([js, "undo", str(t.pid), "bench-update"])
            c, w, out = run(apply)
            cols[name + " apply warm"].append(c); walls[name + " apply warm"].append(w)
        finally:
            t.kill(); t.wait()
print("uptime after: ", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())

jv = statistics.median(cols["java -version"])
jvw = statistics.median(walls["java -version"])
print("\n%d rounds, medians; ratios to the median of java -version" % rounds)
print("%-26s %9s %9s %9s %9s" % ("", "wall ms", "/ java-v", "CPU ms", "/ java-v"))
for k in cols:
    m = statistics.median(cols[k])
    mw = statistics.median(walls[k])
    print("%-26s %9.0f %8.2fx %9.0f %8.2fx" % (k, mw, mw / jvw, m, m / jv))
print("\nper round, wall ms / CPU ms:")
print(" | ".join(cols))
for r in range(rounds):
    print(" | ".join("%.0f / %.0f" % (walls[k][r], cols[k][r]) for k in cols))
subprocess.run(["rm", "-rf", W])
