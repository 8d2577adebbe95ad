resource "aws_ssm_document" "plain" {
  name    = "plain"
  content = "{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": \"a\", \"inputs\": {\"runCommand\": [\"uptime\"]}}]}"
}

resource "aws_s3_bucket" "other" {
  bucket = "example-${var.env}"
  tags   = jsonencode({a = 1})
}
