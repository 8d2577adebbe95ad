% --debounce 0 --external-delay -1 --shellcheck off
# A CloudFormation template: the documents it holds are checked as
# `ssmc check` checks them, and their findings are placed in the template.
# (Re-bless after an intended change: lsp_client.py build/ssmc THIS --bless)
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/template.yaml","languageId":"yaml","version":1,"text":"$file:template.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/template.yaml","version":1,"diagnostics":[{"range":{"start":{"line":16,"character":36},"end":{"line":16,"character":49}},"severity":1,"code":"SSM3030","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"Parameter \"service\" is not declared (the document has no parameters); add parameters: {service: {type: String}}, or build the braces at run time if they are meant literally"},{"range":{"start":{"line":17,"character":14},"end":{"line":17,"character":27}},"severity":2,"code":"SSM4013","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"unknown input 'timeoutSecond' for aws:runShellScript; did you mean 'timeoutSeconds'? (known inputs: runCommand, workingDirectory, timeoutSeconds, id, onFailure, onSuccess, finallyStep)"}]}}
> {"jsonrpc":"2.0","id":2,"method":"shutdown"}
< {"jsonrpc":"2.0","id":2,"result":null}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
