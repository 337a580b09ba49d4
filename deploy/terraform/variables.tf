# Inputs of the batchgate module. Every batchgate setting the `aws` profile needs is a variable
# here; any other property goes through `extra_environment` under its Spring environment name
# (batchgate.runtime.ecs.launch-rate -> BATCHGATE_RUNTIME_ECS_LAUNCHRATE).

variable "name" {
  description = "Prefix of every resource name (queues, cluster, log groups, roles)."
  type        = string
  default     = "batchgate"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name: lower-case letters, digits and '-', 2 to 31 characters."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

# --- network (an existing VPC) ---

variable "vpc_id" {
  description = "The VPC batchgate, its database and its load balancer run in."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of batchgate's tasks and of the database (at least two Availability Zones); they reach the AWS APIs through a NAT gateway or VPC endpoints."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids: at least two subnets (RDS needs two Availability Zones)."
  }
}

variable "alb_subnet_ids" {
  description = "Subnets of the load balancer (public subnets if alb_internal is false)."
  type        = list(string)
}

variable "alb_internal" {
  description = "An internal load balancer (reached over VPN/Direct Connect by JP1 and cron servers)."
  type        = bool
  default     = true
}

variable "alb_ingress_cidrs" {
  description = "CIDR blocks allowed to call the API."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate for HTTPS on 443; null serves plain HTTP on 80 (only inside a trusted network: tokens travel in headers)."
  type        = string
  default     = null
}

variable "alb_idle_timeout" {
  description = "Seconds the load balancer keeps an idle connection; above batchgate.wait.max (25 s) so ?wait answers arrive."
  type        = number
  default     = 60
}

# --- the service ---

variable "image" {
  description = "batchgate's container image (built from the repository's Dockerfile), with the catalog under catalog_dir."
  type        = string
}

variable "topology" {
  description = "all-in-one: one service of gateway+runner replicas behind the load balancer; split: gateway replicas behind it (BATCHGATE_RUNNER_ENABLED=false) and runner replicas apart."
  type        = string
  default     = "all-in-one"
  validation {
    condition     = contains(["all-in-one", "split"], var.topology)
    error_message = "topology: all-in-one or split."
  }
}

variable "desired_count" {
  description = "Replicas of the all-in-one service, or of the gateway service when split."
  type        = number
  default     = 2
}

variable "runner_desired_count" {
  description = "Replicas of the runner service (split only)."
  type        = number
  default     = 2
}

variable "cpu" {
  description = "Fargate CPU units per batchgate task."
  type        = number
  default     = 1024
}

variable "memory" {
  description = "Fargate memory (MiB) per batchgate task; the heap takes 75% (JAVA_TOOL_OPTIONS in the image)."
  type        = number
  default     = 2048
}

variable "log_retention_days" {
  description = "Retention of batchgate's own log groups."
  type        = number
  default     = 30
}

variable "extra_environment" {
  description = "More batchgate or Spring properties as environment variables (name -> value)."
  type        = map(string)
  default     = {}
}

# --- batchgate settings of the aws profile ---

variable "catalog_dir" {
  description = "BATCHGATE_CATALOG_DIR: where the image holds the job catalog."
  type        = string
  default     = "/srv/catalog"
}

variable "caller_name" {
  description = "BATCHGATE_CALLER: name of the caller the token belongs to (audit)."
  type        = string
  default     = "scheduler"
}

variable "token_sha256" {
  description = "BATCHGATE_TOKEN_SHA256: SHA-256 hex digest of that caller's token (printf %s \"$TOKEN\" | sha256sum)."
  type        = string
  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.token_sha256))
    error_message = "token_sha256: 64 lower-case hex digits."
  }
}

variable "caller_scopes" {
  description = "BATCHGATE_CALLER_SCOPES: that caller's scopes."
  type        = string
  default     = "trigger:*,cancel:*"
}

variable "callers_file" {
  description = "BATCHGATE_CALLERS_FILE: YAML file of more callers inside the image; empty for none."
  type        = string
  default     = ""
}

variable "seal_key_secret_arn" {
  description = "BATCHGATE_SECRETS_KEY: Secrets Manager secret holding a key that seals secret param values (openssl rand -base64 32), injected by the execution role; null when secrets_kms_key_arn seals alone."
  type        = string
  default     = null
  validation {
    condition     = var.seal_key_secret_arn != null || var.secrets_kms_key_arn != null
    error_message = "Give secrets_kms_key_arn (preferred) or seal_key_secret_arn: batchgate needs something to seal secret params with."
  }
}

variable "seal_key_id" {
  description = "BATCHGATE_SECRETS_KEY_ID: id of that key."
  type        = string
  default     = "k1"
}

variable "seal_key_kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the seal-key secret; null for the AWS-managed key."
  type        = string
  default     = null
}

variable "secrets_kms_key_arn" {
  description = "batchgate.secrets.kms-key-id (BATCHGATE_SECRETS_KMS_KEY_ID): a KMS key whose data key seals secret param values (preferred over seal_key_secret_arn); batchgate's roles get kms:GenerateDataKey and kms:Decrypt on it. null: not used."
  type        = string
  default     = null
}

variable "cloudwatch_logs_enabled" {
  description = "batchgate.logs.cloudwatch.enabled: read jobs' awslogs streams and forward batchgate's run messages."
  type        = bool
  default     = true
}

variable "queue_visibility_seconds" {
  description = "batchgate.queue.visibility-seconds and the launch queue's visibility timeout (at least 60)."
  type        = number
  default     = 60
}

variable "queue_max_receive_count" {
  description = "batchgate.queue.max-receive-count and the redrive policy's maxReceiveCount."
  type        = number
  default     = 5
}

# --- the jobs (what the catalog may launch) ---

variable "job_task_definition_families" {
  description = "Task-definition families of the catalog's ECS jobs: ecs:RunTask is allowed on these only."
  type        = list(string)
  validation {
    condition     = length(var.job_task_definition_families) > 0
    error_message = "job_task_definition_families: name at least one family."
  }
}

variable "job_cluster_names" {
  description = "Clusters the catalog's jobs run on; empty: the cluster this module creates."
  type        = list(string)
  default     = []
}

variable "job_role_arns" {
  description = "The catalog's taskRole/executionRole ARNs and the roles of task definitions of jobs with secrets: iam:PassRole to ecs-tasks.amazonaws.com on these only."
  type        = list(string)
  default     = []
}

variable "job_log_group_names" {
  description = "awslogs groups of the catalog's task definitions (logs:GetLogEvents)."
  type        = list(string)
  default     = []
}

variable "job_secrets_enabled" {
  description = "Jobs use secrets: (batchgate registers and deregisters task-definition revisions with the secrets added)."
  type        = bool
  default     = false
}

variable "create_job_execution_role" {
  description = "Create an execution role for jobs with secrets: (output job_execution_role_arn) that may read job_secret_arns, job_ssm_parameter_arns and decrypt with job_kms_key_arns."
  type        = bool
  default     = false
}

variable "job_secret_arns" {
  description = "Secrets Manager secrets of the catalog's secrets: (for the job execution role)."
  type        = list(string)
  default     = []
}

variable "job_ssm_parameter_arns" {
  description = "SSM parameters of the catalog's secrets: (for the job execution role)."
  type        = list(string)
  default     = []
}

variable "job_kms_key_arns" {
  description = "Customer-managed KMS keys of those secrets and parameters (for the job execution role)."
  type        = list(string)
  default     = []
}

# --- the database (RDS MySQL 8) ---

variable "db_engine_version" {
  description = "RDS MySQL engine version (8.0 or 8.4)."
  type        = string
  default     = "8.4"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Storage in GiB."
  type        = number
  default     = 20
}

variable "db_multi_az" {
  description = "A standby in a second Availability Zone."
  type        = bool
  default     = true
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database (turn off before terraform destroy)."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Automated backups kept for this many days."
  type        = number
  default     = 7
}
