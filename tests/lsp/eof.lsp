% --debounce 0 --external-delay -1 --shellcheck off
# The client goes away without shutdown and exit: the server ends, with
# status 1 (LSP: exit without a shutdown before it).
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
close
exit 1
