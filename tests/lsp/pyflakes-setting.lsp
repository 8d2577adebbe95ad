% --debounce 0 --external-delay -1 --shellcheck off --pyflakes off
# The pyflakes setting: initializationOptions turn pyflakes on over the
# command line's --pyflakes off, so a save publishes its syntax error
# (SSM8069); workspace/didChangeConfiguration turns it off again, and the
# next save starts no child at all (ShellCheck is off too), so the next
# message is the answer to shutdown.
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{},"initializationOptions":{"ssmc":{"pyflakes":"auto"}}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","method":"initialized","params":{}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/doc.yaml","languageId":"yaml","version":1,"text":"$file:python-syntax.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/doc.yaml","version":1,"diagnostics":[]}}
> {"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"file://$DIR/doc.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/doc.yaml","version":1,"diagnostics":[{"range":{"start":{"line":10,"character":19},"end":{"line":10,"character":20}},"severity":1,"code":"SSM8069","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"Python does not compile this script: '{' was never closed"}]}}
> {"jsonrpc":"2.0","method":"workspace/didChangeConfiguration","params":{"settings":{"ssmc":{"pyflakes":"off"}}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/doc.yaml","version":1,"diagnostics":[]}}
> {"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"file://$DIR/doc.yaml"}}}
> {"jsonrpc":"2.0","id":2,"method":"shutdown"}
< {"jsonrpc":"2.0","id":2,"result":null}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
