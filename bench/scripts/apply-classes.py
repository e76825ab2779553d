#!/usr/bin/env python3
"""The classes a first apply loads in a JVM the agent is attached to, and a census of them (what a
cold apply costs the target: which of them the program would not load anyway, and what pulled them).
Starts a target (as cold-apply.py's) with -Xlog:class+load, loads the agent through the JDK's attach API with no options, waits
for its control socket, then runs `bin/jsplice apply` of the 1-class signed update; prints the named
classes loaded from then on (the status probe's and the apply's), in order (not hidden classes, not
the application's). With --census, prints per phase (agentmain; status probe and apply) the counts
by package and by source instead.
Usage: python3 apply-classes.py TREE [--census]   (JAVA_HOME: the target's JDK, default JDK 17)"""
import collections, glob, os, re, subprocess, sys, tempfile, time

import applybench

tree = sys.argv[1]
census = "--census" in sys.argv
JDK = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
env = dict(os.environ, JAVA_HOME=JDK)
W = tempfile.mkdtemp(prefix="jsplice-apply-classes-")
applybench.make_update(
    tree + "/bin/jsplice", W, JDK, env,
    "public class Target { public static void main(String[] a) throws Exception {"
    " Class.forName(a[0]).getMethod(\"of\", String.class).invoke(null, \"x\");"
    " System.out.println(\"ready\"); System.out.flush();"
    " Thread.sleep(3_600_000); } }")
subprocess.run([JDK + "/bin/javac", "-d", W, W + "/Target.java"], check=True)
open(W + "/Attach.java", "w").write(
    "public class Attach { public static void main(String[] a) throws Exception {"
    " var vm = com.sun.tools.attach.VirtualMachine.attach(a[0]); vm.loadAgent(a[1], \"\");"
    " vm.detach(); } }")
log = W + "/class-load.txt"
p = subprocess.Popen([JDK + "/bin/java", "-XX:+UseSerialGC", "-Xlog:class+load=info:file=" + log,
                      "-cp", W + "/v1:" + W, "Target", "training.Greeting"],
                     stdout=subprocess.PIPE, text=True)


def lines():
    with open(log) as f:
        return f.read().splitlines()


try:
    assert p.stdout.readline().strip() == "ready"
    subprocess.run([JDK + "/bin/java", W + "/Attach.java", str(p.pid), tree + "/lib/jsplice-agent.jar"],
                   check=True)
    while not glob.glob("/tmp/.jsplice-%d*/%d.sock" % (os.getuid(), p.pid)):
        time.sleep(0.05)
    # The agent's start is done once it logs it (its last class loads may trail the socket).
    time.sleep(1)
    started = len(lines())
    subprocess.run([tree + "/bin/jsplice", "apply", str(p.pid), W + "/update.jsplice", "--trust",
                    W + "/key.pem"], env=env, check=True, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    every = lines()
finally:
    p.kill()
    p.wait()
subprocess.run(["rm", "-rf", W])

loads = []
for i, line in enumerate(every):
    m = re.search(r"\] (\S+) source: (.*)", line)
    if m:
        loads.append((i, m.group(1), m.group(2)))
first = next(i for i, n, _ in loads if n == "io.jsplice.agent.launch.AgentLauncher")
if census:
    for phase, rows in (("agentmain", [l for l in loads if first <= l[0] < started]),
                        ("status probe and first apply", [l for l in loads if l[0] >= started])):
        packages, sources = collections.Counter(), collections.Counter()
        for _, name, source in rows:
            hidden = "/0x" in name or "$$Lambda" in name or "$Proxy" in name
            package = re.sub(r"^io\.jsplice\.internal\.asm.*", "io.jsplice.internal.asm*",
                             name.rsplit(".", 1)[0]) + (" (hidden)" if hidden else "")
            packages[package] += 1
            sources["CDS archive" if "shared" in source else "jrt:" if source.startswith("jrt:")
                    else "agent jar" if "jsplice-agent.jar" in source else "hidden or other"] += 1
        print("== %s: %d classes %s" % (phase, len(rows), dict(sources)))
        for package, n in packages.most_common(30):
            print("%5d %s" % (n, package))
    sys.exit()
seen = set()
for i, name, source in loads:
    if i < started or name in seen or name.startswith("io.jsplice.agent.launch."):
        continue
    if "/0x" in name or "$$Lambda" in name or "LambdaForm$" in name or "$Proxy" in name:
        continue
    if source.startswith("jrt:") or "shared objects" in source or "jsplice-agent.jar" in source:
        seen.add(name)
        print(name)
