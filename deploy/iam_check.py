#!/usr/bin/env python3
"""Keeps the IAM of the two templates and the README's IAM tables from drifting apart.

- batchgate's task role (runner, all-in-one): the actions in deploy/terraform/iam.tf, in
  deploy/cloudformation/batchgate.yaml and in the README (the "IAM." table of "Running on AWS",
  "IAM for logs") are the same set; the gateway-only role grants a subset of them.
- the execution role for jobs with secrets: the same set in both templates and the README's
  "task execution role" paragraph.
- the conditions that make them least privilege are there: RunTask limited to clusters,
  iam:PassRole with iam:PassedToService, TagResource with ecs:CreateAction.
- without a Terraform binary (--structure): every var.X used is declared, every resource or data
  source referenced exists.

usage: iam_check.py [--structure]
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TF_DIR = os.path.join(ROOT, "deploy", "terraform")
CFN = os.path.join(ROOT, "deploy", "cloudformation", "batchgate.yaml")
README = os.path.join(ROOT, "README.md")
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z*]+$")
# README actions the templates leave out on purpose, with the reason.
NOT_GRANTED = {"logs:CreateLogGroup": "the templates create the forwarding log group themselves"}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


# --- README ---


def readme_section(text, heading):
    start = text.index("\n## " + heading + "\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else len(text)]


def backticked_actions(text):
    return {t for t in re.findall(r"`([^`]+)`", text) if ACTION.match(t)}


def readme_actions():
    text = open(README, encoding="utf-8").read()
    aws = readme_section(text, "Running on AWS")
    iam = aws[aws.index("**IAM.**"):]
    table = iam[iam.index("\n|"):]
    table = table[:table.index("\n\n")]
    runner = set()
    for row in table.splitlines()[2:]:  # header and separator first
        runner |= backticked_actions(row.split("|")[1])
    logs = readme_section(text, "Logs")
    logs_para = logs[logs.index("**IAM for logs.**"):]
    logs_para = logs_para[:logs_para.index("\n\n")]
    runner |= backticked_actions(logs_para)
    exec_para = aws[aws.index("The **task execution role**"):]
    exec_para = exec_para[:exec_para.index("\n\n")]
    return runner, backticked_actions(exec_para)


# --- Terraform (HCL read by bracket matching: the blocks this module writes are regular) ---


def tf_text():
    return "\n".join(open(os.path.join(TF_DIR, f), encoding="utf-8").read()
                     for f in sorted(os.listdir(TF_DIR)) if f.endswith(".tf"))


def block(text, header):
    start = text.index(header)
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i:j + 1]
    raise ValueError("unbalanced block " + header)


def tf_statements(text, name):
    """The statements of data "aws_iam_policy_document" NAME as (sid, actions, body)."""
    doc = block(text, 'data "aws_iam_policy_document" "%s"' % name)
    out, pos = [], 0
    while True:
        m = re.compile(r"\bstatement\s*\{|\bcontent\s*\{").search(doc, pos)
        if not m:
            return out
        body = block(doc[m.start():], doc[m.start():m.end()])
        actions = re.search(r"\bactions\s*=\s*\[(.*?)\]", body, re.S)
        sid = re.search(r'\bsid\s*=\s*"([^"]+)"', body)
        if actions:
            out.append((sid.group(1) if sid else None, set(re.findall(r'"([^"]+)"', actions.group(1))), body))
        pos = m.start() + len(body)


def tf_structure(text):
    declared_vars = set(re.findall(r'^variable\s+"([^"]+)"', text, re.M))
    for used in sorted(set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)", text))):
        check(used in declared_vars, "terraform: var.%s is used but not declared" % used)
    resources = set(re.findall(r'^resource\s+"([^"]+)"\s+"([^"]+)"', text, re.M))
    datas = set(re.findall(r'^data\s+"([^"]+)"\s+"([^"]+)"', text, re.M))
    for kind, name in sorted(set(re.findall(r"(?<![.\w])(aws_[a-z0-9_]+)\.([a-z0-9_]+)\b", text))):
        check((kind, name) in resources, "terraform: %s.%s is referenced but not declared" % (kind, name))
    for kind, name in sorted(set(re.findall(r"\bdata\.(aws_[a-z0-9_]+)\.([a-z0-9_]+)\b", text))):
        check((kind, name) in datas, "terraform: data.%s.%s is referenced but not declared" % (kind, name))
    locals_declared = set()
    for body in re.findall(r"^locals\s*\{(.*?)^\}", text, re.M | re.S):
        locals_declared |= set(re.findall(r"^  ([a-z_][a-z0-9_]*)\s*=", body, re.M))
    for used in sorted(set(re.findall(r"\blocal\.([a-z_][a-z0-9_]*)", text))):
        check(used in locals_declared, "terraform: local.%s is used but not declared" % used)


# --- CloudFormation (cfn-lint's loader understands the short-form intrinsic functions) ---


def cfn_statements(template, resource, policy=None):
    props = template["Resources"][resource]["Properties"]
    docs = [p["PolicyDocument"] for p in props.get("Policies", []) if policy is None or p["PolicyName"] == policy]
    if "PolicyDocument" in props:
        docs.append(props["PolicyDocument"])
    out = []
    for doc in docs:
        for st in doc["Statement"]:
            branches = st["Fn::If"][1:] if isinstance(st, dict) and "Fn::If" in st else [st]
            for b in branches:
                if isinstance(b, dict) and "Action" in b:
                    actions = b["Action"] if isinstance(b["Action"], list) else [b["Action"]]
                    out.append((b.get("Sid"), set(actions), b))
    return out


def union(statements):
    result = set()
    for _, actions, _ in statements:
        result |= actions
    return result


def main():
    readme_runner, readme_exec = readme_actions()
    expected_runner = readme_runner - set(NOT_GRANTED)
    text = tf_text()
    if "--structure" in sys.argv:
        tf_structure(text)

    tf_runner = tf_statements(text, "runner")
    tf_gateway = tf_statements(text, "gateway")
    tf_jobs = tf_statements(text, "job_execution")
    from cfnlint.decode import decode  # cfn-lint is installed for its own check

    template, matches = decode(CFN)
    check(template is not None, "cloudformation: %s does not parse: %s" % (CFN, matches))
    if template is None:
        return report()
    cfn_runner = cfn_statements(template, "RunnerRole")
    cfn_gateway = cfn_statements(template, "GatewayRole")
    cfn_jobs = cfn_statements(template, "JobExecutionRolePolicy")

    for where, runner, gateway, jobs in (("terraform", tf_runner, tf_gateway, tf_jobs),
                                         ("cloudformation", cfn_runner, cfn_gateway, cfn_jobs)):
        granted = union(runner)
        check(granted == expected_runner,
              "%s: batchgate's task role grants %s; the README's tables say %s (missing %s, extra %s)"
              % (where, sorted(granted), sorted(expected_runner), sorted(expected_runner - granted),
                 sorted(granted - expected_runner)))
        check(union(gateway) <= granted,
              "%s: the gateway role grants what the runner role does not: %s" % (where, sorted(union(gateway) - granted)))
        check(union(jobs) == readme_exec,
              "%s: the job execution role grants %s; the README says %s" % (where, sorted(union(jobs)), sorted(readme_exec)))
        for sid, actions, body in runner:
            text_of = repr(body)
            if "ecs:RunTask" in actions:
                check("ecs:cluster" in text_of, "%s: RunTask (%s) is not limited to the clusters" % (where, sid))
            if "iam:PassRole" in actions:
                check("iam:PassedToService" in text_of and "ecs-tasks.amazonaws.com" in text_of,
                      "%s: PassRole (%s) lacks iam:PassedToService = ecs-tasks.amazonaws.com" % (where, sid))
            if "ecs:TagResource" in actions:
                check("ecs:CreateAction" in text_of, "%s: TagResource (%s) lacks ecs:CreateAction" % (where, sid))
            check("*" not in "".join(actions), "%s: wildcard action in %s" % (where, sid))
    return report()


def report():
    if failures:
        for f in failures:
            print("iam check: FAIL: " + f, file=sys.stderr)
        sys.exit(1)
    print("iam check: Terraform, CloudFormation and the README's IAM tables agree")


if __name__ == "__main__":
    main()
