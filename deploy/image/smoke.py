#!/usr/bin/env python3
"""Runs the image's layout without a Docker engine: reads the root Dockerfile, extracts the jar
with the Dockerfile's own `extract` command, copies the layers in the Dockerfile's COPY order into
one directory (the image's /app), starts the ENTRYPOINT's `java -jar` there with the image's ENV
(ports and data directory moved to this machine), and runs the HEALTHCHECK command itself until
it reports UP. Also checks what a reviewer would: a JRE base, a numeric non-root USER, the memory
options, the optional class-data training step.

With --appcds it first runs the Dockerfile's class-cache training step (the RUN behind
`ARG APPCDS`) and then starts with -XX:AOTMode=on, so a cache the ENTRYPOINT cannot use (another
JVM option set, another class path) fails instead of being skipped with a warning. The training
start takes minutes on a busy machine: run it by hand when the Dockerfile or the JDK changes.

usage: smoke.py JAR [--java JAVA] [--appcds]   (exit 0: the image's layout starts and reports healthy)
"""

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START_DEADLINE_S = 240  # a busy 2-core machine has taken over a minute for the first start


def instructions(path):
    """The Dockerfile's instructions as (KEYWORD, text), continuation lines joined."""
    out, buf = [], ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        buf += line
        keyword, _, rest = buf.strip().partition(" ")
        out.append((keyword.upper(), rest.strip()))
        buf = ""
    return out


def final_stage(instrs):
    start = max(i for i, (k, _) in enumerate(instrs) if k == "FROM")
    return instrs[start:]


def fail(msg):
    print("image smoke: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check_definition(instrs):
    stage = final_stage(instrs)
    base = stage[0][1]
    if not re.search(r"eclipse-temurin:\$\{JAVA_VERSION\}-jre$|eclipse-temurin:\d+-jre", base):
        fail("the runtime stage is not a Temurin JRE: " + base)
    versions = [r for k, r in instrs if k == "ARG" and r.startswith("JAVA_VERSION=")]
    if not versions or int(versions[0].split("=")[1]) < 21:
        fail("JAVA_VERSION must be 21 or later")
    users = [r for k, r in stage if k == "USER"]
    if not users or not re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1]):
        fail("the runtime stage must end as a numeric non-root USER, has %s" % users)
    env = " ".join(r for k, r in stage if k == "ENV")
    if "-XX:MaxRAMPercentage=" not in env or "JAVA_TOOL_OPTIONS" not in env:
        fail("JAVA_TOOL_OPTIONS with -XX:MaxRAMPercentage is missing")
    if not any(k == "ARG" and r.startswith("APPCDS=") for k, r in stage):
        fail("the optional class-data archive (ARG APPCDS) is missing")
    if not any(k == "HEALTHCHECK" and "/actuator/health" in r for k, r in stage):
        fail("no HEALTHCHECK against /actuator/health")


def env_of(stage):
    """ENV key=value pairs of the runtime stage (the only form this Dockerfile uses)."""
    env = {}
    for k, r in stage:
        if k == "ENV":
            for token in shlex.split(r):
                key, _, value = token.partition("=")
                env[key] = value
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jar")
    ap.add_argument("--java", default=shutil.which("java") or "java")
    ap.add_argument("--appcds", action="store_true")
    args = ap.parse_args()
    instrs = instructions(os.path.join(ROOT, "Dockerfile"))
    check_definition(instrs)
    stage = final_stage(instrs)

    extract = [r for k, r in instrs if k == "RUN" and "-Djarmode=tools" in r]
    if len(extract) != 1:
        fail("expected one RUN with -Djarmode=tools, found %d" % len(extract))
    extract_argv = shlex.split(extract[0])
    if extract_argv[0] != "java" or "application.jar" not in extract_argv:
        fail("unexpected extract command: " + extract[0])
    dest = extract_argv[extract_argv.index("--destination") + 1]
    copies = [shlex.split(r) for k, r in stage if k == "COPY" and r.startswith("--from=extract ")]
    layer_sources = [c[1] for c in copies]

    work = tempfile.mkdtemp(prefix="batchgate-image-smoke-")
    proc = None
    try:
        build = os.path.join(work, "extract")
        os.makedirs(build)
        shutil.copy(args.jar, os.path.join(build, "application.jar"))
        subprocess.run([args.java] + extract_argv[1:], cwd=build, check=True)
        listed = subprocess.run(
            [args.java, "-Djarmode=tools", "-jar", "application.jar", "list-layers"],
            cwd=build, check=True, capture_output=True, text=True).stdout.split()
        expected = ["/extract/%s/%s/" % (dest, layer) for layer in listed]
        if layer_sources != expected:
            fail("COPY --from=extract lines %s do not match the jar's layers in order %s" % (layer_sources, expected))
        app = os.path.join(work, "app")
        os.makedirs(app)
        for layer in listed:  # the COPY lines, in their order
            shutil.copytree(os.path.join(build, dest, layer), app, dirs_exist_ok=True)
        if not os.path.isfile(os.path.join(app, "application.jar")):
            fail("the layers do not contain application.jar")

        port = free_port()
        env = dict(os.environ)
        env.update(env_of(stage))
        # The image's paths and port, moved to this machine; loopback only.
        env.update(BATCHGATE_DATA_DIR=os.path.join(work, "data"), BATCHGATE_PORT=str(port),
                   SERVER_ADDRESS="127.0.0.1")
        env["PATH"] = os.path.dirname(os.path.realpath(shutil.which(args.java) or args.java)) + os.pathsep + env["PATH"]
        # The ENTRYPOINT itself (exec form), with the image's /app moved to the temporary directory.
        entry = json.loads([r for k, r in stage if k == "ENTRYPOINT"][-1])
        if not any("-jar /app/application.jar" in part for part in entry):
            fail("ENTRYPOINT does not start /app/application.jar: %s" % entry)
        entry = [part.replace("/app/", app + "/") for part in entry]
        if args.appcds:
            training = [r for k, r in stage if k == "RUN" and "AOTCacheOutput" in r]
            if len(training) != 1:
                fail("expected one RUN with -XX:AOTCacheOutput, found %d" % len(training))
            script = training[0].replace("/app/", app + "/").replace("/tmp/aot-training", os.path.join(work, "training"))
            train_env = dict(env, APPCDS="true")
            began = time.monotonic()
            subprocess.run(["sh", "-c", script], cwd=app, env=train_env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not os.path.isfile(os.path.join(app, "application.aot")):
                fail("the training step wrote no application.aot")
            print("image smoke: class cache trained in %.1f s" % (time.monotonic() - began))
            env["JAVA_TOOL_OPTIONS"] = env.get("JAVA_TOOL_OPTIONS", "") + " -XX:AOTMode=on"
        log = open(os.path.join(work, "app.log"), "w")
        proc = subprocess.Popen(entry, cwd=app, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        health = json.loads([r for k, r in stage if k == "HEALTHCHECK"][-1].split(" CMD ", 1)[1])
        started = time.monotonic()
        while True:
            if proc.poll() is not None:
                log.close()
                sys.stderr.write(open(log.name).read()[-4000:])
                fail("the application exited with %d before it was healthy" % proc.returncode)
            # The Dockerfile's HEALTHCHECK command itself, with the image's environment.
            if subprocess.run(health, env=env, capture_output=True, timeout=30).returncode == 0:
                break
            if time.monotonic() - started > START_DEADLINE_S:
                fail("not healthy within %d s (log: %s)" % (START_DEADLINE_S, log.name))
            time.sleep(1)
        print("image smoke: layers %s extracted, application.jar healthy on port %d after %.1f s"
              % (",".join(listed), port, time.monotonic() - started))
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
