resource "aws_ssm_document" "present" {
  name    = "present"
  content = file("${path.module}/docs/present.json")
}
