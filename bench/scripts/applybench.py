"""What the apply harnesses (cold-apply.py, warm-apply-cpu.py) share: the timed run of a child
process, and the 1-class signed update and target program they apply it to."""
import os, resource, subprocess, sys, time


def timed(cmd, env, check=True):
    """CPU (user+sys of the child, from wait4 via getrusage(RUSAGE_CHILDREN)) and wall time of
    `cmd`, in ms, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and p.returncode != 0:
        sys.exit("failed: %s\n%s" % (cmd, p.stdout))
    c = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return c * 1000, wall * 1000, p.stdout


def make_update(js, work, jdk, env, target_source):
    """Compiles training.Greeting in two versions under work/v1 and work/v2, writes the target
    program work/Target.java (`target_source`), and signs the update between the versions,
    work/update.jsplice, with a new key work/key (certificate work/key.pem), by `js`."""
    for d in ("src1/training", "src2/training", "v1", "v2"):
        os.makedirs(work + "/" + d)
    g = "package training; public class Greeting { public static String of(String name) { return %s + name; } }"
    open(work + "/src1/training/Greeting.java", "w").write(g % '"hello "')
    open(work + "/src2/training/Greeting.java", "w").write(g % '"hello, "')
    for v in ("1", "2"):
        subprocess.run([jdk + "/bin/javac", "-d", work + "/v" + v, work + "/src%s/training/Greeting.java" % v], check=True)
    open(work + "/Target.java", "w").write(target_source)
    subprocess.run([js, "keygen", work + "/key", "--subject", "CN=bench"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([js, "create", "--from", work + "/v1", "--to", work + "/v2", "--offline", "--id",
                    "bench-update", "--key", work + "/key.p12", "-o", work + "/update.jsplice"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
