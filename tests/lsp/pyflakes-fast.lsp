% --debounce 0 --external-delay -1 --shellcheck off
# The checks run on every edit never start an external checker: pyflakes
# (like ShellCheck) runs only in the on-save child, so the Python syntax
# error of this runbook is not among the fast diagnostics.
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","method":"initialized","params":{}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/doc.yaml","languageId":"yaml","version":1,"text":"$file:python-syntax.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/doc.yaml","version":1,"diagnostics":[]}}
> {"jsonrpc":"2.0","id":2,"method":"shutdown"}
< {"jsonrpc":"2.0","id":2,"result":null}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
