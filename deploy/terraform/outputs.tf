output "url" {
  description = "The API's base URL (jobctl's BATCHGATE_URL)."
  value       = "${var.certificate_arn == null ? "http" : "https"}://${aws_lb.api.dns_name}"
}

output "launch_queue_name" {
  description = "The launch queue (BATCHGATE_QUEUE)."
  value       = aws_sqs_queue.launch.name
}

output "dead_letter_queue_name" {
  description = "The launch queue's dead-letter queue."
  value       = aws_sqs_queue.launch_dlq.name
}

output "events_queue_name" {
  description = "The ECS task-state events queue (BATCHGATE_ECS_EVENTS_QUEUE)."
  value       = aws_sqs_queue.events.name
}

output "cluster_name" {
  description = "The ECS cluster of batchgate's services (and of jobs unless job_cluster_names says otherwise)."
  value       = aws_ecs_cluster.this.name
}

output "database_endpoint" {
  description = "host:port of the RDS MySQL instance."
  value       = aws_db_instance.this.endpoint
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the database's master user and password (managed by RDS)."
  value       = local.db_secret_arn
}

output "runner_role_arn" {
  description = "batchgate's task role (runner and all-in-one)."
  value       = aws_iam_role.runner.arn
}

output "job_execution_role_arn" {
  description = "Execution role for jobs with secrets: (null unless create_job_execution_role)."
  value       = var.create_job_execution_role ? aws_iam_role.job_execution[0].arn : null
}
