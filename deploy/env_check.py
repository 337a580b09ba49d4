#!/usr/bin/env python3
"""Every environment variable the templates give batchgate is one the application reads, and
every one the aws profile requires is given:

- a name is read if application-aws.yaml or application.yaml has it as a ${NAME} placeholder, or
  if it is the environment form of a property in the README's tables
  (batchgate.queue.visibility-seconds -> BATCHGATE_QUEUE_VISIBILITYSECONDS);
- placeholders of application-aws.yaml without a default must be set by both templates;
- Terraform and CloudFormation set the same names.

usage: env_check.py
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESOURCES = os.path.join(ROOT, "gateway", "src", "main", "resources")
# Read by Spring Boot and the AWS SDK themselves.
PLATFORM = {"SPRING_PROFILES_ACTIVE", "AWS_REGION"}
# Read once work in flight lands: name -> what brings it. Reported, not failed, until then.
PENDING = {"BATCHGATE_SECRETS_KMS_KEY_ID": "the KMS sealing of secret params (application-aws.yaml placeholder)"}


def env_form(key):
    return key.replace("-", "").replace(".", "_").upper()


def readme_property_names():
    names = set()
    for line in open(os.path.join(ROOT, "README.md"), encoding="utf-8"):
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        previous = None
        for token in re.findall(r"`([^`]+)`", first):
            if token.startswith("batchgate.") or token.startswith("spring.") or token.startswith("server."):
                key = re.sub(r"\[i\]", "[0]", token)
                previous = key
            elif token.startswith(".") and previous:
                key = previous.rsplit(".", 1)[0] + token
            else:
                continue
            names.add(env_form(key.replace("[0]", "_0_").replace("__", "_")))
    return names


def placeholders(path):
    text = open(path, encoding="utf-8").read()
    found = re.findall(r"\$\{([A-Z][A-Z0-9_]*)(:[^}]*)?\}", text)
    return {n for n, _ in found}, {n for n, d in found if not d}


def terraform_names():
    text = "".join(open(os.path.join(ROOT, "deploy", "terraform", f), encoding="utf-8").read()
                   for f in ("main.tf", "ecs.tf"))
    keys = set(re.findall(r"^\s+([A-Z][A-Z0-9_]+)\s+=", text, re.M))
    keys |= set(re.findall(r'name\s*=\s*"([A-Z][A-Z0-9_]+)"', text))
    keys |= set(re.findall(r"\{\s*([A-Z][A-Z0-9_]+)\s*=", text))
    return keys


def cloudformation_names():
    from cfnlint.decode import decode

    template, matches = decode(os.path.join(ROOT, "deploy", "cloudformation", "batchgate.yaml"))
    if template is None:
        sys.exit("env check: FAIL: the CloudFormation template does not parse: %s" % matches)
    names = set()
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::ECS::TaskDefinition":
            continue
        for container in resource["Properties"]["ContainerDefinitions"]:
            for entry in container.get("Environment", []) + container.get("Secrets", []):
                branches = entry["Fn::If"][1:] if "Fn::If" in entry else [entry]
                names |= {b["Name"] for b in branches if isinstance(b, dict) and "Name" in b}
    return names


def main():
    aws_all, aws_required = placeholders(os.path.join(RESOURCES, "application-aws.yaml"))
    default_all, _ = placeholders(os.path.join(RESOURCES, "application.yaml"))
    known = aws_all | default_all | readme_property_names() | PLATFORM
    failures = []
    for name in sorted(set(PENDING) - known):
        print("env check: note: %s is not read yet; it comes with %s" % (name, PENDING[name]))
    known |= set(PENDING)
    tf, cfn = terraform_names(), cloudformation_names()
    for where, names in (("terraform", tf), ("cloudformation", cfn)):
        for name in sorted(names - known):
            failures.append("%s sets %s, which batchgate does not read (no placeholder, no README property)" % (where, name))
        for name in sorted(aws_required - names):
            failures.append("%s does not set %s, which the aws profile requires" % (where, name))
    if tf != cfn:
        failures.append("the templates set different variables: only terraform %s, only cloudformation %s"
                        % (sorted(tf - cfn), sorted(cfn - tf)))
    for f in failures:
        print("env check: FAIL: " + f, file=sys.stderr)
    if failures:
        sys.exit(1)
    print("env check: the templates set %d variables, all read by batchgate; the aws profile's required ones are set"
          % len(tf))


if __name__ == "__main__":
    main()
