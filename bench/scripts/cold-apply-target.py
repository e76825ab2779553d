#!/usr/bin/env python3
"""The target's side of a cold `bin/jsplice apply` (as cold-apply.py's: a fresh target JVM without
the agent, the 1-class signed update), per build, interleaved with `java -version`: from the agent
log's timestamps of that target, the agent's start (its first line, written once its options and log
are open, to the line that says its control channel is open) and the span from that first line to
the line that says the update is applied (the agent's start, the request, the update's checks and
switch), besides the command's wall and CPU time (user + system, as cold-apply.py's) and the CPU
time the target spent during the command (user + system, /proc/PID/stat, in clock ticks). Prints medians, then
every round. Log lines have millisecond timestamps: read the medians, not single rounds.
Usage: python3 cold-apply-target.py ROUNDS NAME=ROOT [NAME=ROOT ...]   (ROOT: a packaged tree)"""
import datetime, os, re, statistics, subprocess, sys, tempfile

import applybench

JDK = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
W = tempfile.mkdtemp(prefix="jsplice-cold-apply-target-")
STATE = W + "/home/.jsplice/state"  # the agent's default under the target's user.home
env = dict(os.environ, JAVA_HOME=JDK)
rounds = int(sys.argv[1])
builds = [a.split("=", 1) for a in sys.argv[2:]]
applybench.make_update(
    builds[0][1] + "/bin/jsplice", W, JDK, env,
    "public class Target { public static void main(String[] a) throws Exception {"
    " Class.forName(a[0]).getMethod(\"of\", String.class).invoke(null, \"x\");"
    " System.out.println(\"ready\"); System.out.flush();"
    " Thread.sleep(3_600_000); } }")
subprocess.run([JDK + "/bin/javac", "-d", W, W + "/Target.java"], check=True)


def cpu_ms(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def stamp(line):
    return datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f").timestamp() * 1000


def spans(pid):
    lines = open(STATE + "/agent-%d.log" % pid).read().splitlines()
    start = stamp(lines[0])
    opened = next(stamp(l) for l in lines if "control channel open" in l)
    applied = next(stamp(l) for l in lines if re.search(r"\] applied ", l))
    return opened - start, applied - start


print("uptime before:", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
cols = {"java -version wall": []}
for name, _ in builds:
    for k in ("command wall", "command CPU", "agent start", "agent start to applied", "target CPU"):
        cols[name + " " + k] = []
for r in range(rounds):
    cols["java -version wall"].append(applybench.timed([JDK + "/bin/java", "-version"], env)[1])
    for name, root in (builds if r % 2 == 0 else list(reversed(builds))):
        t = subprocess.Popen([JDK + "/bin/java", "-XX:+UseSerialGC", "-Duser.home=" + W + "/home", "-cp", W + "/v1:" + W, "Target",
                              "training.Greeting"], stdout=subprocess.PIPE, text=True)
        try:
            assert t.stdout.readline().strip() == "ready"
            before = cpu_ms(t.pid)
            command_cpu, wall, _ = applybench.timed(
                [root + "/bin/jsplice", "apply", str(t.pid), W + "/update.jsplice", "--trust",
                 W + "/key.pem"], env)
            cpu = cpu_ms(t.pid) - before
        finally:
            t.kill(); t.wait()
        started, applied = spans(t.pid)
        cols[name + " command wall"].append(wall)
        cols[name + " command CPU"].append(command_cpu)
        cols[name + " agent start"].append(started)
        cols[name + " agent start to applied"].append(applied)
        cols[name + " target CPU"].append(cpu)
print("uptime after: ", subprocess.run(["uptime"], stdout=subprocess.PIPE, text=True).stdout.strip())
print("\n%d rounds, medians (ms)" % rounds)
for k, v in cols.items():
    print("%-44s %7.0f" % (k, statistics.median(v)))
print("\nper round:\n" + " | ".join(cols))
for r in range(rounds):
    print(" | ".join("%.0f" % cols[k][r] for k in cols))
subprocess.run(["rm", "-rf", W])
