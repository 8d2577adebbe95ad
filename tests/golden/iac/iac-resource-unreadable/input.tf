resource "aws_ssm_document" "encoded" {
  name = "encoded"
  content = jsonencode({
    schemaVersion = "2.2"
    mainSteps     = []
  })
}
