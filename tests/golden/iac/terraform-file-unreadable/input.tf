resource "aws_ssm_document" "missing" {
  name    = "missing"
  content = file("${path.module}/docs/missing.json")
}
