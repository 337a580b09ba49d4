# terraform test: plans the module against a mocked AWS provider (no account, no network) and
# checks what a plan shows: the services per topology, their environment, the least-privilege
# statements, and the inputs refused. Run by deploy/check.

mock_provider "aws" {
  # Computed values (ARNs, the RDS endpoint and secret) take the defaults below already at plan.
  override_during = plan

  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111122223333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111122223333:role/mocked" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:eu-west-1:111122223333:mocked" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:111122223333:log-group:mocked" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      endpoint           = "db.example:3306"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds-db", kms_key_id = "", secret_status = "active" }]
    }
  }
}

variables {
  vpc_id                       = "vpc-0123456789abcdef0"
  private_subnet_ids           = ["subnet-a", "subnet-b"]
  alb_subnet_ids               = ["subnet-c", "subnet-d"]
  alb_ingress_cidrs            = ["10.20.0.0/16"]
  image                        = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/batchgate:1.0"
  token_sha256                 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
  seal_key_secret_arn          = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:seal"
  job_task_definition_families = ["nightly-billing", "export-ledger"]
  job_role_arns                = ["arn:aws:iam::111122223333:role/billing-task"]
}

run "all_in_one" {
  command = plan

  assert {
    condition     = keys(aws_ecs_service.this) == ["all-in-one"]
    error_message = "all-in-one plans one service"
  }
  assert {
    condition     = length(aws_iam_role.gateway) == 0
    error_message = "all-in-one needs no gateway role"
  }
  assert {
    condition     = aws_ecs_service.this["all-in-one"].desired_count == 2
    error_message = "two replicas by default"
  }
  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this["all-in-one"].container_definitions)[0].environment : e.name => e.value
    }["BATCHGATE_DB_URL"] == "jdbc:mysql://db.example:3306/batchgate"
    error_message = "the JDBC URL points at the RDS endpoint"
  }
  assert {
    condition     = !contains([for e in jsondecode(aws_ecs_task_definition.this["all-in-one"].container_definitions)[0].environment : e.name], "BATCHGATE_RUNNER_ENABLED")
    error_message = "all-in-one replicas run the runner"
  }
  assert {
    condition = toset([for s in jsondecode(aws_ecs_task_definition.this["all-in-one"].container_definitions)[0].secrets : s.name]) == toset([
      "BATCHGATE_DB_USER", "BATCHGATE_DB_PASSWORD", "BATCHGATE_SECRETS_KEY",
    ])
    error_message = "the database credentials and the seal key come from Secrets Manager"
  }
  assert {
    condition = toset(data.aws_iam_policy_document.runner.statement[0].resources) == toset([
      "arn:aws:ecs:eu-west-1:111122223333:task-definition/nightly-billing:*",
      "arn:aws:ecs:eu-west-1:111122223333:task-definition/export-ledger:*",
    ])
    error_message = "RunTask only on the catalog's families (no -bgsecrets revisions without job secrets)"
  }
  assert {
    condition     = toset(one(data.aws_iam_policy_document.runner.statement[0].condition).values) == toset(["arn:aws:ecs:eu-west-1:111122223333:cluster/${aws_ecs_cluster.this.name}"])
    error_message = "RunTask only in this module's cluster when no job clusters are named"
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.runner.statement : s if s.sid == "SecretsRevisions"]) == 0
    error_message = "no RegisterTaskDefinition without job secrets"
  }
  assert {
    condition     = aws_lb.api.idle_timeout > 25
    error_message = "the load balancer outlasts ?wait"
  }
}

run "split_with_kms_and_job_secrets" {
  command = plan

  variables {
    topology            = "split"
    seal_key_secret_arn = null
    secrets_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234"
    job_secrets_enabled = true
    job_cluster_names   = ["jobs"]
  }

  assert {
    condition     = toset(keys(aws_ecs_service.this)) == toset(["gateway", "runner"])
    error_message = "split plans a gateway and a runner service"
  }
  assert {
    condition     = length(aws_ecs_service.this["runner"].load_balancer) == 0 && length(aws_ecs_service.this["gateway"].load_balancer) == 1
    error_message = "only the gateways are behind the load balancer"
  }
  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this["gateway"].container_definitions)[0].environment : e.name => e.value
    }["BATCHGATE_RUNNER_ENABLED"] == "false"
    error_message = "gateway replicas run no runner"
  }
  assert {
    condition = {
      for e in jsondecode(aws_ecs_task_definition.this["runner"].container_definitions)[0].environment : e.name => e.value
    }["BATCHGATE_SECRETS_KMS_KEY_ID"] == "arn:aws:kms:eu-west-1:111122223333:key/1234"
    error_message = "the KMS key reaches batchgate"
  }
  assert {
    condition     = !contains([for s in jsondecode(aws_ecs_task_definition.this["runner"].container_definitions)[0].secrets : s.name], "BATCHGATE_SECRETS_KEY")
    error_message = "no seal-key secret when none is given"
  }
  assert {
    condition     = contains(data.aws_iam_policy_document.runner.statement[0].resources, "arn:aws:ecs:eu-west-1:111122223333:task-definition/nightly-billing-bgsecrets:*")
    error_message = "with job secrets RunTask also covers the -bgsecrets revisions"
  }
  assert {
    condition     = toset(one(data.aws_iam_policy_document.runner.statement[0].condition).values) == toset(["arn:aws:ecs:eu-west-1:111122223333:cluster/jobs"])
    error_message = "RunTask only in the named job clusters"
  }
  assert {
    condition     = length([for s in data.aws_iam_policy_document.gateway.statement : s if contains(s.actions, "ecs:RunTask")]) == 0
    error_message = "gateways cannot launch"
  }
}

run "refuses_a_clear_token" {
  command = plan
  variables {
    token_sha256 = "my-secret-token"
  }
  expect_failures = [var.token_sha256]
}

run "refuses_nothing_to_seal_with" {
  command = plan
  variables {
    seal_key_secret_arn = null
  }
  expect_failures = [var.seal_key_secret_arn]
}
