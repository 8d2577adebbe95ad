% --debounce 0 --external-delay -1 --shellcheck off
# The editor sends every YAML file: a .ssmc.yaml gets the findings about the
# configuration, a YAML file that is no SSM document (nor template,
# Terraform or association) gets none, as a directory walk skips it.
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/.ssmc.yaml","languageId":"yaml","version":1,"text":"$file:bad-config.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/.ssmc.yaml","version":1,"diagnostics":[{"range":{"start":{"line":2,"character":2},"end":{"line":2,"character":14}},"severity":2,"code":"SSM9002","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"unknown rule 'no-such-rule' (see `ssmc rules` for the list)"},{"range":{"start":{"line":3,"character":0},"end":{"line":3,"character":9}},"severity":2,"code":"SSM9002","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"unknown key 'shelcheck' in the configuration file; did you mean 'shellcheck'?"}]}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/compose.yaml","languageId":"yaml","version":1,"text":"$file:compose.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/compose.yaml","version":1,"diagnostics":[]}}
> {"jsonrpc":"2.0","id":2,"method":"shutdown"}
< {"jsonrpc":"2.0","id":2,"result":null}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
