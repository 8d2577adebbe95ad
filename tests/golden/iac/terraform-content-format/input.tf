resource "aws_ssm_document" "yaml_as_json" {
  name    = "yaml-as-json"
  content = <<EOF
schemaVersion: "2.2"
mainSteps:
  - action: aws:runShellScript
    name: a
    inputs:
      runCommand: [uptime]
EOF
}
