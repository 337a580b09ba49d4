data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  split      = var.topology == "split"

  job_clusters = length(var.job_cluster_names) > 0 ? var.job_cluster_names : [aws_ecs_cluster.this.name]
  job_cluster_arns = [
    for c in local.job_clusters : "arn:${local.partition}:ecs:${local.region}:${local.account_id}:cluster/${c}"
  ]
  job_log_group_arns = [
    for g in var.job_log_group_names : "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${g}:*"
  ]
  runs_log_group = "/${var.name}/runs"

  # The aws profile's settings (gateway/src/main/resources/application-aws.yaml), as environment.
  environment = merge({
    SPRING_PROFILES_ACTIVE             = "aws"
    AWS_REGION                         = local.region
    BATCHGATE_QUEUE                    = aws_sqs_queue.launch.name
    BATCHGATE_QUEUE_DEADLETTERQUEUE    = aws_sqs_queue.launch_dlq.name
    BATCHGATE_QUEUE_VISIBILITYSECONDS  = tostring(var.queue_visibility_seconds)
    BATCHGATE_QUEUE_MAXRECEIVECOUNT    = tostring(var.queue_max_receive_count)
    BATCHGATE_ECS_EVENTS_QUEUE         = aws_sqs_queue.events.name
    BATCHGATE_CATALOG_DIR              = var.catalog_dir
    BATCHGATE_CALLER                   = var.caller_name
    BATCHGATE_TOKEN_SHA256             = var.token_sha256
    BATCHGATE_CALLER_SCOPES            = var.caller_scopes
    BATCHGATE_CALLERS_FILE             = var.callers_file
    BATCHGATE_SECRETS_KEY_ID           = var.seal_key_id
    BATCHGATE_DB_URL                   = "jdbc:mysql://${aws_db_instance.this.endpoint}/${aws_db_instance.this.db_name}"
    BATCHGATE_LOGS_CLOUDWATCH_ENABLED  = tostring(var.cloudwatch_logs_enabled)
    BATCHGATE_LOGS_CLOUDWATCH_LOGGROUP = local.runs_log_group
    }, var.secrets_kms_key_arn == null ? {} : {
    BATCHGATE_SECRETS_KMS_KEY_ID = var.secrets_kms_key_arn
  }, var.extra_environment)

  db_secret_arn = aws_db_instance.this.master_user_secret[0].secret_arn
  # Read by the execution role when a task starts (ECS has no other way to pass a secret).
  secrets = concat([
    { name = "BATCHGATE_DB_USER", valueFrom = "${local.db_secret_arn}:username::" },
    { name = "BATCHGATE_DB_PASSWORD", valueFrom = "${local.db_secret_arn}:password::" },
    ], var.seal_key_secret_arn == null ? [] : [
    { name = "BATCHGATE_SECRETS_KEY", valueFrom = var.seal_key_secret_arn },
  ])
  injected_secret_arns = concat([local.db_secret_arn], var.seal_key_secret_arn == null ? [] : [var.seal_key_secret_arn])
}

# --- queues: launch queue with its dead-letter queue, ECS task-state events ---

resource "aws_sqs_queue" "launch_dlq" {
  name                      = "${var.name}-runs-dlq"
  message_retention_seconds = 1209600
  tags                      = var.tags
}

resource "aws_sqs_queue" "launch" {
  name                       = "${var.name}-runs"
  visibility_timeout_seconds = var.queue_visibility_seconds
  receive_wait_time_seconds  = 20
  message_retention_seconds  = 1209600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.launch_dlq.arn
    maxReceiveCount     = var.queue_max_receive_count
  })
  tags = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "launch_dlq" {
  queue_url = aws_sqs_queue.launch_dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.launch.arn]
  })
}

resource "aws_sqs_queue" "events" {
  name                      = "${var.name}-ecs-events"
  message_retention_seconds = 86400
  receive_wait_time_seconds = 20
  tags                      = var.tags
}

resource "aws_cloudwatch_event_rule" "task_stopped" {
  name        = "${var.name}-task-stopped"
  description = "batchgate's ECS tasks that stopped: ends their runs at once instead of at the next sweep."
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      startedBy  = [{ prefix = "batchgate/" }]
      lastStatus = ["STOPPED"]
    }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "task_stopped" {
  rule = aws_cloudwatch_event_rule.task_stopped.name
  arn  = aws_sqs_queue.events.arn
}

data "aws_iam_policy_document" "events_queue" {
  statement {
    sid       = "EventBridgeSends"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.events.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.task_stopped.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy    = data.aws_iam_policy_document.events_queue.json
}

# --- logs ---

resource "aws_cloudwatch_log_group" "service" {
  name              = "/${var.name}/service"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_group" "runs" {
  name              = local.runs_log_group
  retention_in_days = var.log_retention_days
  tags              = var.tags
}
