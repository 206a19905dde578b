-- Driven by tests/lsp_neovim.rs: attach gov-report-lsp to the current buffer,
-- run the README's Neovim 0.7 fix-all snippet (NVIM_SNIPPET, its text), run the
-- command it defines, and record the buffer and diagnostics afterwards.
local server = assert(os.getenv("GOV_REPORT_LSP"), "GOV_REPORT_LSP")
local out_path = assert(os.getenv("NVIM_OUT"), "NVIM_OUT")
local snippet = assert(os.getenv("NVIM_SNIPPET"), "NVIM_SNIPPET")
local bufnr = vim.api.nvim_get_current_buf()
local result = { errors = {} }

local function labels()
  local n = 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if (lsp.code or d.code) == "table-label" then
      n = n + 1
    end
  end
  return n
end

local ok, err = pcall(function()
  local config = { name = "gov-report", cmd = { server }, root_dir = vim.fn.getcwd() }
  -- As the README's 0.7 snippet does: start_client + buf_attach_client.
  local client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(bufnr, client_id)
  if not vim.wait(20000, function() return labels() > 0 end, 10) then
    table.insert(result.errors, "no table-label diagnostics within 20 s")
    return
  end
  result.labels_before = labels()
  result.version = vim.version()
  assert(loadstring(snippet, "README snippet"))()
  vim.cmd("GovReportFixAll")
  vim.wait(20000, function() return labels() == 0 end, 10)
  result.labels_after = labels()
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
local f = assert(io.open(out_path, "w"))
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd("qa!")
