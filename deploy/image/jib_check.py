#!/usr/bin/env python3
"""Checks the image tarball that `mvn -Pjib ... package` wrote (docker-load format): non-root user,
container memory options, the Boot jar's main class as entrypoint, and a class path whose every
entry is in a layer and which holds every library of the Boot jar.

usage: jib_check.py IMAGE_TAR BOOT_JAR
"""

import io
import json
import sys
import tarfile
import zipfile


def fail(msg):
    print("jib image: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    image_tar, boot_jar = sys.argv[1], sys.argv[2]
    with tarfile.open(image_tar) as image:
        manifest = json.load(image.extractfile("manifest.json"))[0]
        config = json.load(image.extractfile(manifest["Config"]))["config"]
        files, classpath = set(), None
        for layer in manifest["Layers"]:
            with tarfile.open(fileobj=io.BytesIO(image.extractfile(layer).read())) as t:
                for member in t.getmembers():
                    name = "/" + member.name.lstrip("./")
                    files.add(name)
                    if name == "/app/jib-classpath-file":
                        classpath = t.extractfile(member).read().decode().strip().split(":")
    user = config.get("User", "")
    if not user or user.split(":")[0] in ("0", "root"):
        fail("the image runs as root (User=%r)" % user)
    env = dict(e.split("=", 1) for e in config.get("Env", []))
    if "-XX:MaxRAMPercentage=" not in env.get("JAVA_TOOL_OPTIONS", ""):
        fail("JAVA_TOOL_OPTIONS without -XX:MaxRAMPercentage")
    with zipfile.ZipFile(boot_jar) as jar:
        mf = jar.read("META-INF/MANIFEST.MF").decode()
        start_class = [line.split(":", 1)[1].strip() for line in mf.splitlines() if line.startswith("Start-Class:")][0]
        libs = {n.rsplit("/", 1)[1] for n in jar.namelist() if n.startswith("BOOT-INF/lib/") and n.endswith(".jar")}
    if config.get("Entrypoint", [])[-1:] != [start_class]:
        fail("entrypoint %s does not start %s" % (config.get("Entrypoint"), start_class))
    if classpath is None:
        fail("no /app/jib-classpath-file")
    missing = [entry for entry in classpath if entry not in files and entry + "/" not in files]
    if missing:
        fail("class path entries not in any layer: %s" % missing)
    image_libs = {entry.rsplit("/", 1)[1] for entry in classpath if entry.endswith(".jar")}
    # The Boot jar's own tooling (layer extraction) has no place in Jib's image.
    absent = sorted(lib for lib in libs - image_libs if not lib.startswith("spring-boot-jarmode-tools"))
    if absent:
        fail("libraries of the Boot jar missing from the image: %s" % absent)
    print("jib image: %d layers, user %s, entrypoint %s, %d libraries on the class path"
          % (len(manifest["Layers"]), user, start_class, len(image_libs)))


if __name__ == "__main__":
    main()
