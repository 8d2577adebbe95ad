% --debounce 0 --external-delay -1 --shellcheck off --pyflakes off
# Hover in an Automation runbook (schemaVersion 0.3), from the grammar tables
# of grammar/automation/: an action's summary, inputs and built-in outputs; an
# input key of the step's action (aws:executeScript's Runtime lists the
# runtimes); step fields with their meaning and allowed values; aws:branch
# operators and choice keys (NextStep, And, Not), nested too; the steps
# nested in aws:loop and its LoopCondition; a
# {{ step.Output }} (declared, built-in, or not an output) and the system
# variables. Line 1 has non-ASCII text (—).
> {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}
< {"jsonrpc":"2.0","id":1,"result":{"capabilities":{"positionEncoding":"utf-16","textDocumentSync":{"openClose":true,"change":2,"save":{"includeText":false}},"hoverProvider":true,"completionProvider":{"triggerCharacters":[":"," ","{",".","-"],"resolveProvider":false},"definitionProvider":true,"referencesProvider":true,"documentSymbolProvider":true,"foldingRangeProvider":true,"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.ssmc"]}},"serverInfo":{"name":"ssmc","version":"0.1.0"}}}
> {"jsonrpc":"2.0","method":"initialized","params":{}}
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml","languageId":"yaml","version":1,"text":"$file:runbook.yaml"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/runbook.yaml","version":1,"diagnostics":[]}}
# The action aws:executeScript: summary, inputs, the Script/Attachment group, its output.
> {"jsonrpc":"2.0","id":10,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":11,"character":17}}}
< {"jsonrpc":"2.0","id":10,"result":{"contents":{"kind":"markdown","value":"**aws:executeScript** (Automation action)\n\nruns a Python or PowerShell script in an AWS-managed sandbox\n\nInputs:\n- `Runtime` (String, required)\n- `Handler` (String)\n- `Script` (String)\n- `Attachment` (String)\n- `InputPayload` (mapping)\n\nAt least one of `Script` or `Attachment`\n\nOutputs:\n- `Payload` (StringMap)"},"range":{"start":{"line":11,"character":12},"end":{"line":11,"character":29}}}}
# aws:branch, aws:createTags (no outputs), aws:sleep (exactly one of two inputs).
> {"jsonrpc":"2.0","id":11,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":27,"character":15}}}
< {"jsonrpc":"2.0","id":11,"result":{"contents":{"kind":"markdown","value":"**aws:branch** (Automation action)\n\nchooses the next step by the first true choice, else Default\n\nInputs:\n- `Choices` (MapList, required)\n- `Default` (String)"},"range":{"start":{"line":27,"character":12},"end":{"line":27,"character":22}}}}
# aws:createTags.
> {"jsonrpc":"2.0","id":12,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":42,"character":15}}}
< {"jsonrpc":"2.0","id":12,"result":{"contents":{"kind":"markdown","value":"**aws:createTags** (Automation action)\n\ntags EC2 resources, managed instances, maintenance windows or parameters\n\nInputs:\n- `ResourceIds` (StringList, required)\n- `Tags` (MapList, required)\n- `ResourceType` (String)"},"range":{"start":{"line":42,"character":12},"end":{"line":42,"character":26}}}}
# aws:sleep.
> {"jsonrpc":"2.0","id":13,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":60,"character":21}}}
< {"jsonrpc":"2.0","id":13,"result":{"contents":{"kind":"markdown","value":"**aws:sleep** (Automation action)\n\nwaits for a duration or until a time\n\nInputs:\n- `Duration` (String)\n- `Timestamp` (String)\n\nExactly one of `Duration` or `Timestamp`"},"range":{"start":{"line":60,"character":18},"end":{"line":60,"character":27}}}}
# Input keys: Runtime (the runtimes table), Handler, ResourceType (allowed values).
> {"jsonrpc":"2.0","id":14,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":15,"character":8}}}
< {"jsonrpc":"2.0","id":14,"result":{"contents":{"kind":"markdown","value":"**Runtime** — String, required\n\npython3.11, PowerShell 7.0, ...\n\nRuntimes: `python3.11`, `PowerShell Core 6.0`, `PowerShell 7.0`\n\nAlso accepted (not confirmed by AWS): `python3.10`, `python3.9`, `python3.12`, `PowerShell 7.2`, `PowerShell 7.4`\n\nRetired (new runbooks cannot use them): `python3.8`, `python3.7`, `python3.6`"},"range":{"start":{"line":15,"character":6},"end":{"line":15,"character":13}}}}
# Handler.
> {"jsonrpc":"2.0","id":15,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":16,"character":7}}}
< {"jsonrpc":"2.0","id":15,"result":{"contents":{"kind":"markdown","value":"**Handler** — String, optional\n\nPython: the function called with (events, context); module.function for an attachment"},"range":{"start":{"line":16,"character":6},"end":{"line":16,"character":13}}}}
# ResourceType.
> {"jsonrpc":"2.0","id":16,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":44,"character":10}}}
< {"jsonrpc":"2.0","id":16,"result":{"contents":{"kind":"markdown","value":"**ResourceType** — String, optional\n\nAllowed values: `EC2`, `ManagedInstance`, `MaintenanceWindow`, `Parameter`"},"range":{"start":{"line":44,"character":6},"end":{"line":44,"character":18}}}}
# Step fields: maxAttempts, onFailure (Abort, Continue, step:NAME), isEnd, nextStep.
> {"jsonrpc":"2.0","id":17,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":12,"character":7}}}
< {"jsonrpc":"2.0","id":17,"result":{"contents":{"kind":"markdown","value":"**maxAttempts** — Integer, optional (step field)\n\nhow many times the step is tried before it counts as failed (an integer of at least 1; default 1)"},"range":{"start":{"line":12,"character":4},"end":{"line":12,"character":15}}}}
# onFailure.
> {"jsonrpc":"2.0","id":18,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":13,"character":7}}}
< {"jsonrpc":"2.0","id":18,"result":{"contents":{"kind":"markdown","value":"**onFailure** — String, optional (step field)\n\nwhat a failure of the step does: Abort (the default) fails the execution, Continue runs the next step, step:NAME runs that step\n\nAllowed values: `Abort`, `Continue`, `step:NAME`"},"range":{"start":{"line":13,"character":4},"end":{"line":13,"character":13}}}}
# isEnd.
> {"jsonrpc":"2.0","id":19,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":69,"character":4}}}
< {"jsonrpc":"2.0","id":19,"result":{"contents":{"kind":"markdown","value":"**isEnd** — Boolean, optional (step field)\n\ntrue: the execution ends after this step (default false)"},"range":{"start":{"line":69,"character":4},"end":{"line":69,"character":9}}}}
# nextStep.
> {"jsonrpc":"2.0","id":20,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":50,"character":8}}}
< {"jsonrpc":"2.0","id":20,"result":{"contents":{"kind":"markdown","value":"**nextStep** — String, optional (step field)\n\nthe step to run next, a step name without step: (default: the next step in the list)"},"range":{"start":{"line":50,"character":4},"end":{"line":50,"character":12}}}}
# Branch operators and keys: NumericGreater, NextStep, And, StringEquals (in And), Not, StartsWith (in Not).
> {"jsonrpc":"2.0","id":21,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":32,"character":12}}}
< {"jsonrpc":"2.0","id":21,"result":{"contents":{"kind":"markdown","value":"**NumericGreater** (aws:branch operator, Integer operand)\n\nthe Variable's number is greater than the operand"},"range":{"start":{"line":32,"character":10},"end":{"line":32,"character":24}}}}
# NextStep.
> {"jsonrpc":"2.0","id":22,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":30,"character":12}}}
< {"jsonrpc":"2.0","id":22,"result":{"contents":{"kind":"markdown","value":"**NextStep** (aws:branch)\n\nthe step to run when this choice is true (a step name, no step: prefix)"},"range":{"start":{"line":30,"character":10},"end":{"line":30,"character":18}}}}
# And.
> {"jsonrpc":"2.0","id":23,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":34,"character":11}}}
< {"jsonrpc":"2.0","id":23,"result":{"contents":{"kind":"markdown","value":"**And** (aws:branch)\n\ntrue when every condition of the list (at least 2) is true"},"range":{"start":{"line":34,"character":10},"end":{"line":34,"character":13}}}}
# StringEquals inside And.
> {"jsonrpc":"2.0","id":24,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":36,"character":17}}}
< {"jsonrpc":"2.0","id":24,"result":{"contents":{"kind":"markdown","value":"**StringEquals** (aws:branch operator, String operand)\n\nthe Variable's text equals the operand"},"range":{"start":{"line":36,"character":14},"end":{"line":36,"character":26}}}}
# Not.
> {"jsonrpc":"2.0","id":25,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":37,"character":15}}}
< {"jsonrpc":"2.0","id":25,"result":{"contents":{"kind":"markdown","value":"**Not** (aws:branch)\n\ntrue when its one condition is false"},"range":{"start":{"line":37,"character":14},"end":{"line":37,"character":17}}}}
# StartsWith inside Not.
> {"jsonrpc":"2.0","id":26,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":39,"character":19}}}
< {"jsonrpc":"2.0","id":26,"result":{"contents":{"kind":"markdown","value":"**StartsWith** (aws:branch operator, String operand)\n\nthe Variable's text starts with the operand"},"range":{"start":{"line":39,"character":16},"end":{"line":39,"character":26}}}}
# {{ compute.Count }}: a declared output (type, selector).
> {"jsonrpc":"2.0","id":27,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":31,"character":33}}}
< {"jsonrpc":"2.0","id":27,"result":{"contents":{"kind":"markdown","value":"**Count** — Integer, output of step `compute` (aws:executeScript)\n\nSelector: `$.Payload.count`"},"range":{"start":{"line":31,"character":21},"end":{"line":31,"character":40}}}}
# {{ compute.Payload }}: the built-in output of aws:executeScript.
> {"jsonrpc":"2.0","id":28,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":35,"character":37}}}
< {"jsonrpc":"2.0","id":28,"result":{"contents":{"kind":"markdown","value":"**Payload** — StringMap, built-in output of step `compute` (aws:executeScript)"},"range":{"start":{"line":35,"character":25},"end":{"line":35,"character":46}}}}
# System variables: global:REGION, automation:EXECUTION_ID.
> {"jsonrpc":"2.0","id":29,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":38,"character":32}}}
< {"jsonrpc":"2.0","id":29,"result":{"contents":{"kind":"markdown","value":"**global:REGION** (Automation system variable)\n\nthe Region the runbook runs in, e.g. us-east-2"},"range":{"start":{"line":38,"character":27},"end":{"line":38,"character":46}}}}
# automation:EXECUTION_ID.
> {"jsonrpc":"2.0","id":30,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":49,"character":24}}}
< {"jsonrpc":"2.0","id":30,"result":{"contents":{"kind":"markdown","value":"**automation:EXECUTION_ID** (Automation system variable)\n\nthe unique identifier of the current automation execution, e.g. 1a2b3c-1a2b3c-1a2b3c-1a2b3c1a2b3c1a2b3c"},"range":{"start":{"line":49,"character":18},"end":{"line":49,"character":47}}}}
# Default is an input of aws:branch.
> {"jsonrpc":"2.0","id":31,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":40,"character":8}}}
< {"jsonrpc":"2.0","id":31,"result":{"contents":{"kind":"markdown","value":"**Default** — String, optional\n\nthe step taken when no choice is true (a step name, no step: prefix)"},"range":{"start":{"line":40,"character":6},"end":{"line":40,"character":13}}}}
# In aws:loop: the LoopCondition operator NumericLesser, a nested step's action, field and input.
> {"jsonrpc":"2.0","id":32,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":57,"character":11}}}
< {"jsonrpc":"2.0","id":32,"result":{"contents":{"kind":"markdown","value":"**NumericLesser** (aws:branch operator, Integer operand)\n\nthe Variable's number is less than the operand"},"range":{"start":{"line":57,"character":8},"end":{"line":57,"character":21}}}}
# The nested step's action aws:sleep.
> {"jsonrpc":"2.0","id":33,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":60,"character":23}}}
< {"jsonrpc":"2.0","id":33,"result":{"contents":{"kind":"markdown","value":"**aws:sleep** (Automation action)\n\nwaits for a duration or until a time\n\nInputs:\n- `Duration` (String)\n- `Timestamp` (String)\n\nExactly one of `Duration` or `Timestamp`"},"range":{"start":{"line":60,"character":18},"end":{"line":60,"character":27}}}}
# Its onFailure.
> {"jsonrpc":"2.0","id":34,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":61,"character":12}}}
< {"jsonrpc":"2.0","id":34,"result":{"contents":{"kind":"markdown","value":"**onFailure** — String, optional (step field)\n\nwhat a failure of the step does: Abort (the default) fails the execution, Continue runs the next step, step:NAME runs that step\n\nAllowed values: `Abort`, `Continue`, `step:NAME`"},"range":{"start":{"line":61,"character":10},"end":{"line":61,"character":19}}}}
# Its Duration input.
> {"jsonrpc":"2.0","id":35,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":63,"character":14}}}
< {"jsonrpc":"2.0","id":35,"result":{"contents":{"kind":"markdown","value":"**Duration** — String, optional\n\nISO 8601 duration (PT10M), at most 7 days"},"range":{"start":{"line":63,"character":12},"end":{"line":63,"character":20}}}}
# The loop's built-in outputs in its hover.
> {"jsonrpc":"2.0","id":36,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":52,"character":17}}}
< {"jsonrpc":"2.0","id":36,"result":{"contents":{"kind":"markdown","value":"**aws:loop** (Automation action)\n\nrepeats nested steps for each item or while a condition holds (at most 100 times)\n\nInputs:\n- `Iterators` (StringList)\n- `IteratorDataType` (String)\n- `LoopCondition` (mapping)\n- `MaxIterations` (Integer)\n- `Steps` (MapList, required)\n\nExactly one of `Iterators` or `LoopCondition`\n\nOutputs:\n- `CurrentIteration` (Integer)\n- `CurrentIteratorValue` (String)"},"range":{"start":{"line":52,"character":12},"end":{"line":52,"character":20}}}}
# A step output that the step does not have.
> {"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml","version":2},"contentChanges":[{"range":{"start":{"line":35,"character":36},"end":{"line":35,"character":43}},"text":"Nothing"}]}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/runbook.yaml","version":2,"diagnostics":[{"range":{"start":{"line":35,"character":25},"end":{"line":35,"character":46}},"severity":2,"code":"SSM8042","codeDescription":{"href":"https://github.com/ssmc-authors/ssmc/blob/main/README.md#rules"},"source":"ssmc","message":"step 'compute' has no output 'Nothing' (it has Payload, Count); declare it in the step's outputs"}]}}
> {"jsonrpc":"2.0","id":37,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.yaml"},"position":{"line":35,"character":38}}}
< {"jsonrpc":"2.0","id":37,"result":{"contents":{"kind":"markdown","value":"**Nothing** — not an output of step `compute` (aws:executeScript)\n\n---\n\n**SSM8042** automation-ref-unknown-output (warning)\n\n{{ step.Output }} names an output the step does not have\n\n```text\nWhy: the output is neither declared in the step's outputs nor built into its action;\nthe reference fails when the consuming step runs. The service does not check it at\ncreation (AWSDocs-ScaleLoadBalanced has such references in unreachable steps).\nAWS: spec section 4.3.\nBad:   '{{ launch.InstanceId }}'    (aws:runInstances gives InstanceIds)\nGood:  '{{ launch.InstanceIds }}'\n\n```"},"range":{"start":{"line":35,"character":25},"end":{"line":35,"character":46}}}}
# The same in a JSON runbook: an action, a step field, an input key.
> {"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file://$DIR/runbook.json","languageId":"json","version":1,"text":"$file:runbook.json"}}}
< {"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file://$DIR/runbook.json","version":1,"diagnostics":[]}}
> {"jsonrpc":"2.0","id":38,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.json"},"position":{"line":6,"character":19}}}
< {"jsonrpc":"2.0","id":38,"result":{"contents":{"kind":"markdown","value":"**aws:sleep** (Automation action)\n\nwaits for a duration or until a time\n\nInputs:\n- `Duration` (String)\n- `Timestamp` (String)\n\nExactly one of `Duration` or `Timestamp`"},"range":{"start":{"line":6,"character":16},"end":{"line":6,"character":27}}}}
> {"jsonrpc":"2.0","id":39,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.json"},"position":{"line":7,"character":9}}}
< {"jsonrpc":"2.0","id":39,"result":{"contents":{"kind":"markdown","value":"**onFailure** — String, optional (step field)\n\nwhat a failure of the step does: Abort (the default) fails the execution, Continue runs the next step, step:NAME runs that step\n\nAllowed values: `Abort`, `Continue`, `step:NAME`"},"range":{"start":{"line":7,"character":6},"end":{"line":7,"character":17}}}}
> {"jsonrpc":"2.0","id":40,"method":"textDocument/hover","params":{"textDocument":{"uri":"file://$DIR/runbook.json"},"position":{"line":8,"character":20}}}
< {"jsonrpc":"2.0","id":40,"result":{"contents":{"kind":"markdown","value":"**Duration** — String, optional\n\nISO 8601 duration (PT10M), at most 7 days"},"range":{"start":{"line":8,"character":17},"end":{"line":8,"character":27}}}}
> {"jsonrpc":"2.0","id":2,"method":"shutdown"}
< {"jsonrpc":"2.0","id":2,"result":null}
> {"jsonrpc":"2.0","method":"exit"}
exit 0
