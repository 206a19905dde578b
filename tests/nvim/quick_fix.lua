-- Driven by tests/lsp_neovim.rs: attach gov-report-lsp to the current buffer,
-- record the diagnostics Neovim received, apply the table-label quick fix
-- through Neovim's own LSP client, and record the buffer afterwards.
-- Works on Neovim 0.7 (no vim.lsp.start) and later.
local server = assert(os.getenv("GOV_REPORT_LSP"), "GOV_REPORT_LSP")
local out_path = assert(os.getenv("NVIM_OUT"), "NVIM_OUT")
local bufnr = vim.api.nvim_get_current_buf()
local result = { errors = {} }

local function finish()
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local function table_labels()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if (lsp.code or d.code) == "table-label" then
      table.insert(out, d)
    end
  end
  return out
end

local function plain(diags)
  local out = {}
  for _, d in ipairs(diags) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(out, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
      code = lsp.code or d.code,
    })
  end
  return out
end

local ok, err = pcall(function()
  local config = { name = "gov-report", cmd = { server }, root_dir = vim.fn.getcwd() }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 10) then
    table.insert(result.errors, "no diagnostics within 20 s")
    return
  end
  local client = vim.lsp.get_client_by_id(client_id)
  result.offset_encoding = client.offset_encoding
  result.before = plain(vim.diagnostic.get(bufnr))

  local first = table_labels()[1]
  if not first then
    table.insert(result.errors, "no table-label diagnostic")
    return
  end
  -- Neovim keeps byte columns; convert back with its own helper, as its
  -- code-action command does.
  local enc = client.offset_encoding
  local range = {
    start = { line = first.lnum, character = vim.lsp.util.character_offset(bufnr, first.lnum, first.col, enc) },
    ["end"] = { line = first.end_lnum, character = vim.lsp.util.character_offset(bufnr, first.end_lnum, first.end_col, enc) },
  }
  result.request_range = range
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = { { range = range, message = first.message, code = "table-label", severity = first.severity } } },
  }
  local resp = client.request_sync("textDocument/codeAction", params, 10000, bufnr)
  if not resp or resp.err then
    table.insert(result.errors, "codeAction failed: " .. vim.inspect(resp))
    return
  end
  result.titles = {}
  local chosen
  for _, action in ipairs(resp.result or {}) do
    table.insert(result.titles, action.title)
    if action.kind == "quickfix" and action.isPreferred and action.edit and not chosen then
      chosen = action
    end
  end
  if not chosen then
    table.insert(result.errors, "no preferred quick fix")
    return
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  local before_count = #table_labels()
  vim.wait(20000, function() return #table_labels() < before_count end, 10)
  result.after = plain(vim.diagnostic.get(bufnr))
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
finish()
