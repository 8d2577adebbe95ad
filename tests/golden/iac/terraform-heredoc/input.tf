# A fault inside a heredoc lands at its line and column in the .tf file.
variable "bucket" {
  type = string
}

resource "aws_ssm_document" "restart" {
  name            = "restart-nginx"
  document_type   = "Command"
  document_format = "YAML"

  content = <<-DOC
    schemaVersion: "2.2"
    description: Restart a service and copy its log.
    parameters:
      service:
        type: String
        allowedValues: [nginx, httpd]
    mainSteps:
      - action: aws:runShellScript
        name: restart
        inputs:
          runCommand:
            - systemctl restart {{ servce }}
            - aws s3 cp "$${HOME}/app.log" "s3://${var.bucket}/logs/"
          timeoutSecond: 60
  DOC
}

resource "aws_ssm_association" "nightly" {
  name                = aws_ssm_document.restart.name
  schedule_expression = "cron(0 2 ? * MON-FRI *)"
  max_concurrency     = "10%"
  targets {
    key    = "tag:Role"
    values = ["web"]
  }
  parameters = {
    service = "nginix"
  }
}
