% --debounce 0 --external-delay -1 --shellcheck off --pyflakes=/nonexistent/pyflakes
# --pyflakes=PATH: the on-save child runs the program named, here one that
# does not exist, which is an error (SSM8067) at the script it would check.
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","method":"initialized","params":{}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/doc.yaml","languageId":"yaml","version":1,"text":"$file:python-syntax.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/doc.yaml","version":1,"diagnostics":[]}}
> {"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"file://$DIR/doc.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/doc.yaml","version":1,"diagnostics":[{"range":{"start":{"line":8,"character":14},"end":{"line":10,"character":30}},"severity":1,"code":"SSM8067","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"--pyflakes=/nonexistent/pyflakes: no such file"}]}}
> {"jsonrpc":"2.0","id":2,"method":"shutdown"}
< {"jsonrpc":"2.0","id":2,"result":null}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
