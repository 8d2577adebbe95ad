resource "aws_ssm_document" "yaml" {
  name            = "yaml"
  document_format = "YAML"
  content         = <<EOF
schemaVersion: "2.2"
mainSteps:
  - action: aws:runShellScript
    name: a
    inputs:
      runCommand: [uptime]
EOF
}
