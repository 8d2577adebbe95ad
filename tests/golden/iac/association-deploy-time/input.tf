resource "aws_ssm_association" "a" {
  name = aws_ssm_document.elsewhere.name
  targets {
    key    = "tag:Role"
    values = ["web"]
  }
  parameters = {
    Port = "80"
  }
}
resource "aws_ssm_association" "b" {
  name = "AWS-RunShellScript"
  targets {
    key    = "tag:Role"
    values = ["web"]
  }
  parameters = {
    commands = "echo hi"
  }
}
