resource "aws_ssm_document" "status" {
  name          = "status"
  document_type = "Command"
  content       = file("${path.module}/docs/status.json")
}

resource "aws_ssm_document" "deploy" {
  name            = "deploy"
  document_format = "YAML"
  content = templatefile("${path.module}/docs/deploy.yaml.tpl", {
    release = "1.4.2"
  })
}

resource "aws_ssm_association" "status_hourly" {
  name                = "AWS-RunShellScript"
  schedule_expression = "rate(1 hours)"
  targets {
    key    = "InstanceIds"
    values = ["i-0123456789abcdef0"]
  }
  parameters = {
    commands = "uptime"
  }
  output_location {
    s3_bucket_name = "Logs_Bucket"
  }
}
