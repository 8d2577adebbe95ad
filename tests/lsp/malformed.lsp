% --debounce 0 --external-delay -1 --shellcheck off
# Malformed and out-of-order messages: each gets a JSON-RPC error (or, for a
# notification, which cannot be answered, a window/logMessage) and the
# server goes on working.
# A request before initialize.
> {"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///x.yaml"},"position":{"line":0,"character":0}}}
< {"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"the server is not initialized: send initialize first"}}
# A notification before initialize is dropped (LSP); then initialize.
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.yaml","languageId":"yaml","version":1,"text":"a: b\n"}}}
> {"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}}
< {"jsonrpc":"2.0","id":2,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","id":3,"method":"initialize","params":{"capabilities":{}}}
< {"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"the server is already initialized"}}
# Bad framing: no Content-Length, a length that is not a number.
raw "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
< {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"a message header without a valid Content-Length"}}
raw "Content-Length: twelve\r\n\r\n"
< {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"a message header without a valid Content-Length"}}
# A message over the 64 MiB limit is read and dropped, then answered.
bigbody 67108865
< {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"a message of 67108865 bytes is larger than the 67108864 bytes accepted"}}
# Bad JSON, JSON that is not an object, a batch, a wrong jsonrpc version,
# an id that is an object, params that are a string.
raw "Content-Length: 9\r\n\r\n{\"id\": 1,"
< {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"the message is not valid JSON (line 1, column 9)"}}
raw "Content-Length: 2\r\n\r\n42"
< {"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"the message is not valid JSON (line 1, column 2)"}}
raw "Content-Length: 5\r\n\r\n[1,2]"
< {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"a message must be a JSON object"}}
> {"jsonrpc":"1.0","id":4,"method":"shutdown"}
< {"jsonrpc":"2.0","id":4,"error":{"code":-32600,"message":"not a JSON-RPC 2.0 request or notification"}}
> {"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}
< {"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"not a JSON-RPC 2.0 request or notification"}}
> {"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":"x"}
< {"jsonrpc":"2.0","id":5,"error":{"code":-32602,"message":"params must be an object or an array"}}
# A method the server does not have, a request and a notification.
> {"jsonrpc":"2.0","id":6,"method":"textDocument/semanticTokens/full","params":{"textDocument":{"uri":"file:///x.yaml"}}}
< {"jsonrpc":"2.0","id":6,"error":{"code":-32601,"message":"method not supported: textDocument/semanticTokens/full"}}
> {"jsonrpc":"2.0","method":"workspace/frobnicate","params":{}}
< {"jsonrpc":"2.0","method":"window/logMessage","params":{"type":1,"message":"notification not supported: workspace/frobnicate"}}
# $/ notifications may be ignored.
> {"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":6}}
# A change and a hover before the document is open; a change with a bad range.
> {"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere/x.yaml","version":2},"contentChanges":[{"text":"a: c\n"}]}}
< {"jsonrpc":"2.0","method":"window/logMessage","params":{"type":1,"message":"textDocument/didChange for a document that is not open: file:///nowhere/x.yaml"}}
> {"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere/x.yaml"},"position":{"line":0,"character":0}}}
< {"jsonrpc":"2.0","id":7,"error":{"code":-32602,"message":"the document is not open: file:///nowhere/x.yaml"}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///nowhere/x.yaml","languageId":"yaml","version":1,"text":"schemaVersion: '2.2'\n"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///nowhere/x.yaml","version":1,"diagnostics":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":13}},"severity":1,"code":"SSM2006","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"the document has no mainSteps; a schema 2.2 document runs its mainSteps (add mainSteps: [...], or change schemaVersion to match the body)"}]}}
> {"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere/x.yaml","version":2},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"x"}]}}
< {"jsonrpc":"2.0","method":"window/logMessage","params":{"type":1,"message":"textDocument/didChange: change 0 has a bad range"}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///nowhere/x.yaml","version":2,"diagnostics":[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":13}},"severity":1,"code":"SSM2006","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"the document has no mainSteps; a schema 2.2 document runs its mainSteps (add mainSteps: [...], or change schemaVersion to match the body)"}]}}
# Still working: a well-formed hover, a position with no line.
> {"jsonrpc":"2.0","id":8,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere/x.yaml"},"position":{"line":0,"character":0}}}
< {"jsonrpc":"2.0","id":8,"result":{"contents":{"kind":"markdown","value":"**SSM2006** missing-steps (error)\n\nthe document has neither mainSteps (2.x) nor runtimeConfig (1.2)\n\n```text\nWhy: a Command document runs its mainSteps (schema 2.0, 2.2) or its runtimeConfig\nplugins (schema 1.2). Without them there is nothing to run; the service requires the\nsection.\nAWS: documents-schemas-features.md; agent docparser.\nBad:\n  schemaVersion: '2.2'\n  description: does nothing\nGood:\n  schemaVersion: '2.2'\n  mainSteps:\n    - action: aws:runShellScript\n      name: run\n      inputs: {runCommand: [uptime]}\n\n```"}}}
> {"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere/x.yaml"},"position":{"character":0}}}
< {"jsonrpc":"2.0","id":9,"error":{"code":-32602,"message":"no valid position"}}
> {"jsonrpc":"2.0","id":10,"method":"shutdown"}
< {"jsonrpc":"2.0","id":10,"result":null}
# After shutdown only exit.
> {"jsonrpc":"2.0","id":11,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///nowhere/x.yaml"},"position":{"line":0,"character":0}}}
< {"jsonrpc":"2.0","id":11,"error":{"code":-32600,"message":"the server is shut down: only exit is accepted"}}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
