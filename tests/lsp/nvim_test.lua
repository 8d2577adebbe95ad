-- A real editor: Neovim's built-in LSP client (0.7 and later) starts
-- `ssmc lsp`, opens a document and reports the diagnostics it received;
-- then it fixes a typo through an incremental edit and reports again;
-- last it asks for the fix-all action (source.fixAll.ssmc) and applies its
-- edit, writing the text before and after (BEFORE, AFTER) for the caller
-- to compare with `ssmc check --fix`.
-- Environment: SSMC (the program), DOC (the document), OUT (the report).
local ssmc, doc, out = vim.env.SSMC, vim.env.DOC, vim.env.OUT
local report = {}

local function fail(msg)
  table.insert(report, 'FAIL: ' .. msg)
  vim.fn.writefile(report, out)
  vim.cmd('qa!')
end

local function snapshot(title, buf)
  table.insert(report, title)
  local lines = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(lines, string.format('%d:%d-%d:%d %s %s %s', d.lnum + 1, d.col + 1,
      d.end_lnum + 1, d.end_col + 1, vim.diagnostic.severity[d.severity], d.code or '-',
      d.message))
  end
  table.sort(lines)
  vim.list_extend(report, lines)
end

vim.cmd('edit ' .. vim.fn.fnameescape(doc))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'ssmc',
  cmd = { ssmc, 'lsp', '--shellcheck=off', '--debounce', '0' },
  init_options = { ssmc = { pyflakes = 'off' } },
  root_dir = vim.fn.fnamemodify(doc, ':p:h'),
})
if not id then fail('the client did not start') end
vim.lsp.buf_attach_client(buf, id)

if not vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
  fail('no diagnostics within 15 seconds')
end
snapshot('after open', buf)

-- Line 13 reads `        - echo "😀é {{ Mesage }}" ...`: insert the
-- missing "s" after "Me" (byte column 28, 0-based).
local function has_typo()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'SSM3030' then return true end
  end
  return false
end
vim.api.nvim_buf_set_text(buf, 12, 28, 12, 28, { 's' })
if not vim.wait(15000, function() return not has_typo() end, 20) then
  fail('the undeclared-parameter finding is still there after the edit')
end
snapshot('after the edit', buf)

-- The fix-all action, applied as the client applies any workspace edit.
local function text() return vim.api.nvim_buf_get_lines(buf, 0, -1, true) end
vim.fn.writefile(text(), vim.env.BEFORE)
local params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
  context = { diagnostics = {}, only = { 'source.fixAll' } },
}
local answers = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
local actions = answers and answers[id] and answers[id].result or {}
if #actions ~= 1 or actions[1].kind ~= 'source.fixAll.ssmc' then
  fail('no single source.fixAll.ssmc action: ' .. vim.inspect(actions))
end
table.insert(report, 'fix-all: ' .. actions[1].title)
vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
vim.fn.writefile(text(), vim.env.AFTER)

vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.lsp.client_is_stopped(id) end, 20)
vim.fn.writefile(report, out)
vim.cmd('qa!')
