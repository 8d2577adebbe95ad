resource "aws_ssm_document" "home" {
  name            = "home"
  document_format = "YAML"
  content         = <<-EOF
    schemaVersion: "2.2"
    mainSteps:
      - action: aws:runShellScript
        name: a
        inputs:
          runCommand:
            - ls "${HOME}"
  EOF
}
