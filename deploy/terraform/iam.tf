# Least privilege, as the README's IAM tables ("Running on AWS", "IAM for logs"); deploy/check
# compares the actions here with those tables and with the CloudFormation template.

locals {
  task_arn_prefix = "arn:${local.partition}:ecs:${local.region}:${local.account_id}"
  job_task_definitions = concat(
    [for f in var.job_task_definition_families : "${local.task_arn_prefix}:task-definition/${f}:*"],
    # the revisions batchgate registers for jobs with secrets: (family + "-bgsecrets")
    var.job_secrets_enabled ? [for f in var.job_task_definition_families : "${local.task_arn_prefix}:task-definition/${f}-bgsecrets:*"] : [],
  )
  job_cluster_tasks = [for c in local.job_clusters : "${local.task_arn_prefix}:task/${c}/*"]
  # the job roles, and the execution role this module may create for jobs with secrets:
  passable_roles = concat(var.job_role_arns, var.create_job_execution_role ? [aws_iam_role.job_execution[0].arn] : [])
}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["${local.task_arn_prefix}:*"]
    }
  }
}

# --- batchgate's task role: runner (all-in-one and runner replicas) ---

data "aws_iam_policy_document" "runner" {
  statement {
    sid       = "Launch"
    actions   = ["ecs:RunTask"]
    resources = local.job_task_definitions
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = local.job_cluster_arns
    }
  }
  statement {
    sid       = "TagLaunchedTasks"
    actions   = ["ecs:TagResource"]
    resources = ["${local.task_arn_prefix}:task/*"]
    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RunTask"]
    }
  }
  statement {
    sid       = "TrackAndStop"
    actions   = ["ecs:DescribeTasks", "ecs:StopTask"]
    resources = local.job_cluster_tasks
  }
  statement {
    sid       = "FindTasks"
    actions   = ["ecs:ListTasks"]
    resources = ["*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = local.job_cluster_arns
    }
  }
  dynamic "statement" {
    for_each = length(local.passable_roles) > 0 ? [1] : []
    content {
      sid       = "PassJobRoles"
      actions   = ["iam:PassRole"]
      resources = local.passable_roles
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }
    }
  }
  statement {
    sid       = "ReadTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = var.job_secrets_enabled ? [1] : []
    content {
      sid       = "SecretsRevisions"
      actions   = ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition"]
      resources = ["*"]
    }
  }
  dynamic "statement" {
    for_each = var.job_secrets_enabled ? [1] : []
    content {
      sid       = "TagSecretsRevisions"
      actions   = ["ecs:TagResource"]
      resources = ["${local.task_arn_prefix}:task-definition/*-bgsecrets:*"]
      condition {
        test     = "StringEquals"
        variable = "ecs:CreateAction"
        values   = ["RegisterTaskDefinition"]
      }
    }
  }
  statement {
    sid = "LaunchQueue"
    actions = [
      "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes",
    ]
    resources = [aws_sqs_queue.launch.arn]
  }
  statement {
    sid       = "EventsQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.events.arn]
  }
  statement {
    sid       = "DeadLetterDepth"
    actions   = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.launch_dlq.arn]
  }
  statement {
    sid       = "ReadLogs"
    actions   = ["logs:GetLogEvents"]
    resources = concat(local.job_log_group_arns, ["${aws_cloudwatch_log_group.runs.arn}:*"])
  }
  statement {
    sid       = "ForwardLogs"
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream"]
    resources = ["${aws_cloudwatch_log_group.runs.arn}:*"]
  }
  dynamic "statement" {
    for_each = var.secrets_kms_key_arn == null ? [] : [1]
    content {
      sid       = "SealWithKms"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [var.secrets_kms_key_arn]
    }
  }
}

resource "aws_iam_role" "runner" {
  name               = "${var.name}-runner"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "runner" {
  name   = "batchgate-runner"
  role   = aws_iam_role.runner.id
  policy = data.aws_iam_policy_document.runner.json
}

# --- gateway-only replicas (split): send launches, read logs and task definitions (dry run) ---

data "aws_iam_policy_document" "gateway" {
  statement {
    sid       = "LaunchQueue"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.launch.arn]
  }
  statement {
    sid       = "DeadLetterDepth"
    actions   = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.launch_dlq.arn]
  }
  statement {
    sid       = "ReadLogs"
    actions   = ["logs:GetLogEvents"]
    resources = concat(local.job_log_group_arns, ["${aws_cloudwatch_log_group.runs.arn}:*"])
  }
  statement {
    sid       = "ReadTaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = var.secrets_kms_key_arn == null ? [] : [1]
    content {
      sid       = "SealWithKms"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [var.secrets_kms_key_arn]
    }
  }
}

resource "aws_iam_role" "gateway" {
  count              = local.split ? 1 : 0
  name               = "${var.name}-gateway"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "gateway" {
  count  = local.split ? 1 : 0
  name   = "batchgate-gateway"
  role   = aws_iam_role.gateway[0].id
  policy = data.aws_iam_policy_document.gateway.json
}

# --- execution role of batchgate's own tasks: pull the image, write its log, inject its secrets ---

data "aws_iam_policy_document" "service_execution" {
  statement {
    sid       = "InjectSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.injected_secret_arns
  }
  dynamic "statement" {
    for_each = var.seal_key_kms_key_arn == null ? [] : [1]
    content {
      sid       = "DecryptSealKey"
      actions   = ["kms:Decrypt"]
      resources = [var.seal_key_kms_key_arn]
    }
  }
}

resource "aws_iam_role" "service_execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "service_execution" {
  role       = aws_iam_role.service_execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "service_execution" {
  name   = "batchgate-secrets"
  role   = aws_iam_role.service_execution.id
  policy = data.aws_iam_policy_document.service_execution.json
}

# --- optional execution role for jobs with secrets: (the README's "task execution role") ---

data "aws_iam_policy_document" "job_execution" {
  dynamic "statement" {
    for_each = length(var.job_secret_arns) > 0 ? [1] : []
    content {
      sid       = "JobSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.job_secret_arns
    }
  }
  dynamic "statement" {
    for_each = length(var.job_ssm_parameter_arns) > 0 ? [1] : []
    content {
      sid       = "JobParameters"
      actions   = ["ssm:GetParameters"]
      resources = var.job_ssm_parameter_arns
    }
  }
  dynamic "statement" {
    for_each = length(var.job_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "JobKeys"
      actions   = ["kms:Decrypt"]
      resources = var.job_kms_key_arns
    }
  }
}

resource "aws_iam_role" "job_execution" {
  count              = var.create_job_execution_role ? 1 : 0
  name               = "${var.name}-job-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "job_execution" {
  count      = var.create_job_execution_role ? 1 : 0
  role       = aws_iam_role.job_execution[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "job_execution" {
  count  = var.create_job_execution_role && length(concat(var.job_secret_arns, var.job_ssm_parameter_arns, var.job_kms_key_arns)) > 0 ? 1 : 0
  name   = "batchgate-job-secrets"
  role   = aws_iam_role.job_execution[0].id
  policy = data.aws_iam_policy_document.job_execution.json
}
