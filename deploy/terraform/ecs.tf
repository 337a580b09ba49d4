# The batchgate service(s) on Fargate behind an Application Load Balancer.

resource "aws_ecs_cluster" "this" {
  name = var.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
  tags = var.tags
}

locals {
  # The image's HEALTHCHECK (ECS ignores the one in the image).
  health_command = ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"UP\"' <&3"]

  roles = {
    all-in-one = { environment = {}, task_role = aws_iam_role.runner.arn }
    gateway    = { environment = { BATCHGATE_RUNNER_ENABLED = "false" }, task_role = local.split ? aws_iam_role.gateway[0].arn : null }
    runner     = { environment = {}, task_role = aws_iam_role.runner.arn }
  }
  services = local.split ? {
    gateway = { count = var.desired_count, load_balanced = true }
    runner  = { count = var.runner_desired_count, load_balanced = false }
    } : {
    all-in-one = { count = var.desired_count, load_balanced = true }
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each                 = local.services
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.service_execution.arn
  task_role_arn            = local.roles[each.key].task_role
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  container_definitions = jsonencode([{
    name         = "batchgate"
    image        = var.image
    essential    = true
    stopTimeout  = 120
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    environment = [
      for k, v in merge(local.environment, local.roles[each.key].environment) : { name = k, value = v }
    ]
    secrets = local.secrets
    healthCheck = {
      command     = local.health_command
      interval    = 30
      timeout     = 5
      retries     = 3
      startPeriod = 120
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service.name
        awslogs-region        = local.region
        awslogs-stream-prefix = each.key
        mode                  = "blocking"
      }
    }
  }])
  tags = var.tags
}

resource "aws_security_group" "service" {
  name        = "${var.name}-service"
  description = "batchgate tasks: the API from the load balancer; out to the AWS APIs and the database"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "service_from_alb" {
  security_group_id            = aws_security_group.service.id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  description                  = "API from the load balancer"
}

resource "aws_vpc_security_group_egress_rule" "service_out" {
  security_group_id = aws_security_group.service.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  description       = "AWS APIs (SQS, ECS, CloudWatch Logs, Secrets Manager, ECR), the database, monitors"
}

resource "aws_ecs_service" "this" {
  for_each                           = local.services
  name                               = "${var.name}-${each.key}"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this[each.key].arn
  desired_count                      = each.value.count
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = each.value.load_balanced ? 180 : null
  enable_execute_command             = false
  propagate_tags                     = "SERVICE"
  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.service.id]
    assign_public_ip = false
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  dynamic "load_balancer" {
    for_each = each.value.load_balanced ? [1] : []
    content {
      target_group_arn = aws_lb_target_group.api.arn
      container_name   = "batchgate"
      container_port   = 8080
    }
  }
  depends_on = [aws_lb_listener.api]
  tags       = var.tags
}
